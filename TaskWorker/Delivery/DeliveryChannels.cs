namespace TaskWorker.Delivery;

/// <summary>
/// The channels the worker delivers on: the service key of each channel's <see cref="SentMarkers"/> and
/// <see cref="SharedRateLimiter"/>, and the prefix of its sent markers.
/// </summary>
internal static class DeliveryChannels
{
    public const string Sms = "sms";
    public const string Email = "email";
}
