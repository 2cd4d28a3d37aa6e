namespace TaskApi.Features.Clients;

/// <summary>A client's fields: the JSON body of <c>POST /clients</c> and <c>PUT /clients/{id}</c>, and each row of <c>POST /clients/import</c>.</summary>
public class ClientRequest
{
    public const string DefaultTimeZone = "UTC";

    /// <summary>Bodies larger than this are refused before they are parsed: a client is under 1 KiB even with every character escaped.</summary>
    public const int MaxRequestBytes = 16 * 1024;

    /// <summary>
    /// A mobile number in international form, the country code first: 11 to 15 digits, optionally after a '+'
    /// (e.g. 79001234567 or +79001234567; stored without the '+'). Unique among clients.
    /// </summary>
    public string Phone { get; set; } = null!;

    /// <summary>
    /// The mobile operator's code, exactly 3 digits. When omitted, the number's own: the first three digits of its
    /// national number (for 7XXXXXXXXXX, the three digits after the 7).
    /// </summary>
    public string? OperatorCode { get; set; }

    /// <summary>A label mailings can select clients by: 0 to 64 characters without control characters (default empty).</summary>
    public string? Tag { get; set; }

    /// <summary>The IANA time zone id in which mailings' send windows are read, e.g. Europe/Moscow (default UTC); kept as given.</summary>
    public string? Timezone { get; set; }

    /// <summary>The client these fields describe (valid ones: <see cref="ClientRules"/>), with the defaults filled in.</summary>
    public Client ToClient(DateTimeOffset now, string? createdBy)
    {
        var phone = MobileNumbers.Digits(Phone);
        return new Client
        {
            Phone = phone,
            OperatorCode = OperatorCode ?? MobileNumbers.OperatorCodeOf(phone),
            Tag = Tag ?? "",
            TimeZone = Timezone ?? DefaultTimeZone,
            CreatedAt = now,
            CreatedBy = createdBy,
            UpdatedAt = now,
        };
    }
}
