using System.ComponentModel.DataAnnotations;

namespace TaskWorker.Sms;

/// <summary>
/// Where and how TaskWorker sends SMS; bound from the <c>Sms</c> section and validated at start-up. Without a
/// <see cref="BaseUrl"/> the worker sends no SMS at all (it runs tasks only, and needs no Redis).
/// </summary>
public sealed class SmsOptions : IValidatableObject
{
    public const string SectionName = "Sms";

    /// <summary>The sending API's address (http or https); each send is <c>POST {BaseUrl}/v1/send/{id}</c>. Empty: no SMS are sent.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The API's bearer token; required with a <see cref="BaseUrl"/>.</summary>
    public string? Token { get; set; }

    /// <summary>How long one attempt may take, answer included; past it the attempt is reported for a retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most calls of the API within any second, counted over every TaskWorker instance (in Redis); 0: no limit.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxPerSecond { get; set; }

    /// <summary>
    /// Most send records handled at once (waiting for the rate limit or a connection included); past it the consumer pauses
    /// its partitions, and resuming takes librdkafka up to a second, so this is large (measured: 1,000 sent 1,358/s, 10,000 3,776/s).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxInFlight { get; set; } = 10_000;

    /// <summary>Most connections open to the API at once; sends beyond them wait for one.</summary>
    [Range(1, 10_000)]
    public int MaxConnections { get; set; } = 256;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(BaseUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"BaseUrl must be an absolute http or https URL: got '{BaseUrl}'.", [nameof(BaseUrl)]);
        }
        if (string.IsNullOrWhiteSpace(Token))
        {
            yield return new ValidationResult("Token is required when BaseUrl is set.", [nameof(Token)]);
        }
    }
}
