namespace TaskApi.Features.Clients;

/// <summary>A recipient of SMS mailings, matched by its operator code and tag.</summary>
public sealed class Client
{
    public long Id { get; init; }

    /// <summary>Digits only, 11 to 15 of them, without the leading '+'; unique.</summary>
    public required string Phone { get; set; }

    /// <summary>Three digits: the mobile operator's code.</summary>
    public required string OperatorCode { get; set; }

    /// <summary>A free label a mailing can filter on; empty when the client has none.</summary>
    public string Tag { get; set; } = "";

    /// <summary>The IANA time zone a mailing's send window is read in.</summary>
    public string TimeZone { get; set; } = "UTC";

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it (<see cref="Infrastructure.Access.CreatedByColumn"/>); replacing or importing it keeps the creator.</summary>
    public string? CreatedBy { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}
