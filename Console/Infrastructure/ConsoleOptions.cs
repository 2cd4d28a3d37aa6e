using System.ComponentModel.DataAnnotations;
using Tasks.Shared;

namespace TasksConsole.Infrastructure;

/// <summary>The console's settings, section <c>Console</c>.</summary>
public sealed class ConsoleOptions : IValidatableObject
{
    public const string SectionName = "Console";

    /// <summary>
    /// The identity service's public address: the browser is sent there to sign in, and it is the issuer the tokens name
    /// (so not the service-discovery name, which a browser cannot reach). The AppHost gives its endpoint.
    /// </summary>
    [Required]
    public Uri? IdentityUrl { get; set; }

    /// <summary>The console's client at the identity service: public, no secret, PKCE.</summary>
    [Required]
    public string ClientId { get; set; } = ServiceClients.Console;

    /// <summary>TaskApi, through Aspire's service discovery unless a deployment names another address.</summary>
    [Required]
    public Uri TaskApiUrl { get; set; } = new("http://taskapi");

    /// <summary>
    /// How long before its expiry an access token is replaced through the refresh token: a call made just before the
    /// expiry must not reach TaskApi just after it (30 s of clock skew there is not counted on).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a console session lasts without a request (the cookie's sliding lifetime).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The Aspire dashboard's address, where one runs (the AppHost gives it): the overview links to its traces. Absent, no link.
    /// </summary>
    public Uri? DashboardUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, url) in new[] { (nameof(IdentityUrl), IdentityUrl), (nameof(TaskApiUrl), TaskApiUrl), (nameof(DashboardUrl), DashboardUrl) })
        {
            if (url is not null && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
            {
                yield return new ValidationResult($"Console:{name} must be an absolute http or https URL; '{url}' is not.", [name]);
            }
        }
    }
}
