namespace TaskApi.Features.Clients;

/// <summary>A client as the API shows it.</summary>
/// <param name="Id">The client's id.</param>
/// <param name="Phone">The mobile number, digits only, the country code first (e.g. 79001234567).</param>
/// <param name="OperatorCode">The mobile operator's code, 3 digits.</param>
/// <param name="Tag">The client's label; empty when it has none.</param>
/// <param name="Timezone">The IANA time zone id mailings' send windows are read in.</param>
/// <param name="CreatedAt">When the client was created.</param>
/// <param name="CreatedBy">Who created it: an operator's id or an app's client id; null for clients older than that record.</param>
/// <param name="UpdatedAt">When the client was last created, replaced or imported.</param>
public sealed record ClientResponse(
    long Id,
    string Phone,
    string OperatorCode,
    string Tag,
    string Timezone,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset UpdatedAt)
{
    public static ClientResponse From(Client client) => new(
        client.Id,
        client.Phone,
        client.OperatorCode,
        client.Tag,
        client.TimeZone,
        client.CreatedAt,
        client.CreatedBy,
        client.UpdatedAt);
}
