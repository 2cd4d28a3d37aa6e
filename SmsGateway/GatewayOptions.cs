using System.ComponentModel.DataAnnotations;

namespace SmsGateway;

/// <summary>How the emulated SMS provider behaves, bound from the <c>Gateway</c> section.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The bearer token every send must carry. Empty: the token is not checked at all.</summary>
    public string Token { get; set; } = "";

    /// <summary>How long a send takes before it is answered, as a real provider's round trip does.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The share of sends answered 500, so that callers' retries get exercised: 0 never, 1 always.</summary>
    [Range(0.0, 1.0)]
    public double FailureRate { get; set; }

    /// <summary>How many distinct ids are remembered; past that the id first received longest ago is forgotten.</summary>
    [Range(1, 100_000_000)]
    public int MaxStored { get; set; } = 1_000_000;
}
