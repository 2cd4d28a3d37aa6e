using System.ComponentModel.DataAnnotations;
using System.Text;

namespace Tasks.EmailTemplates;

/// <summary>
/// Bound from the <c>Tracking</c> section by TaskApi (it serves the links) and TaskWorker (it writes them into each email),
/// validated at start-up.
/// </summary>
public sealed class TrackingOptions : IValidatableObject
{
    public const string SectionName = "Tracking";

    /// <summary>The fewest bytes of <see cref="Key"/>: 256 bits, the HMAC-SHA256 block's worth of strength.</summary>
    public const int MinKeyLength = 32;

    /// <summary>
    /// Where recipients reach TaskApi's tracking endpoints (absolute http or https): links become
    /// <c>{PublicBaseUrl}/t/c/{token}</c>, the open pixel <c>{PublicBaseUrl}/t/o/{token}.gif</c>.
    /// </summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>
    /// The secret that signs tracking and unsubscribe tokens, used as its UTF-8 bytes; at least 32 of them (for instance
    /// the output of <c>openssl rand -base64 48</c>). Every TaskApi and TaskWorker instance must have the same one.
    /// </summary>
    [Required]
    public string Key { get; set; } = "";

    public byte[] KeyBytes => Encoding.UTF8.GetBytes(Key);

    /// <summary><see cref="PublicBaseUrl"/> without a trailing slash, ready for a path to be appended.</summary>
    public string BaseUrl => PublicBaseUrl.TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"PublicBaseUrl must be an absolute http or https URL: got '{PublicBaseUrl}'.", [nameof(PublicBaseUrl)]);
        }
        if (Encoding.UTF8.GetByteCount(Key) < MinKeyLength)
        {
            yield return new ValidationResult($"Key must have at least {MinKeyLength} bytes (UTF-8).", [nameof(Key)]);
        }
    }
}
