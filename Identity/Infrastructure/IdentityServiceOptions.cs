using System.ComponentModel.DataAnnotations;

namespace Identity.Infrastructure;

/// <summary>The identity service's settings, section <c>Identity</c>.</summary>
public sealed class IdentityServiceOptions : IValidatableObject
{
    public const string SectionName = "Identity";

    /// <summary>
    /// The service's public address, which every token names as its issuer (<c>iss</c>) and its discovery document
    /// publishes. Fixed rather than taken from each request, so that a token does not depend on the host name a caller used.
    /// </summary>
    [Required]
    public Uri Url { get; set; } = new("http://127.0.0.1:5070/");

    /// <summary>How long an app's old secret keeps working after a new one is issued (<c>POST /apps/{id}/secret</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The password of the first admin (login <c>admin</c>), created at the first start when there is no operator yet.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>
    /// RSA private keys (PEM) tokens are signed with: the first signs, all are published in the JWKS, so a new key goes
    /// first and the old one stays behind it until the tokens it signed have expired. Empty: a key generated at the first
    /// start and kept in the database.
    /// </summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>
    /// 256-bit keys (base64) refresh tokens are encrypted with: the first encrypts, all decrypt. Empty: one generated at the
    /// first start and kept in the database.
    /// </summary>
    public List<string> EncryptionKeys { get; set; } = [];

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Token requests each client address may make per second on average (<c>/connect/token</c>), and as many sign-ins at
    /// the login page (<c>POST /account/login</c>, a bucket of its own); 0 is no limit.
    /// </summary>
    [Range(0, 1_000_000)]
    public int TokenRequestsPerSecond { get; set; } = 10;

    /// <summary>How many token requests (and, apart, sign-ins) one address may make at once above that rate.</summary>
    [Range(1, 1_000_000)]
    public int TokenRequestBurst { get; set; } = 30;

    /// <summary>Our own services' client secrets, by client id (<c>Identity:ServiceClients:taskapi</c>), set at every start.</summary>
    public Dictionary<string, string> ServiceClients { get; set; } = [];

    /// <summary>Web origins whose pages may call the token endpoint (TaskApi's Swagger UI).</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>The operators' console, a client of the authorization code flow (<c>Identity:Console</c>).</summary>
    public ConsoleClientSettings Console { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult("Identity:Url must be an absolute http or https URL.", [nameof(Url)]);
        }
        foreach (var uri in Console.RedirectUris.Concat(Console.PostLogoutRedirectUris).Where(uri => !uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"Identity:Console's redirect URIs must be absolute http or https URLs; '{uri}' is not.", [nameof(Console)]);
        }
        foreach (var (client, secret) in ServiceClients)
        {
            if (secret.Length < 32)
            {
                yield return new ValidationResult($"Identity:ServiceClients:{client} must be a secret of at least 32 characters.", [nameof(ServiceClients)]);
            }
        }
    }
}

/// <summary>
/// Where the console may be sent back to after a sign-in (<c>RedirectUris</c>) and a sign-out
/// (<c>PostLogoutRedirectUris</c>); with no redirect URI the console's client is not registered.
/// </summary>
public sealed class ConsoleClientSettings
{
    public List<Uri> RedirectUris { get; set; } = [];

    public List<Uri> PostLogoutRedirectUris { get; set; } = [];
}
