namespace TaskWorker.Delivery;

/// <summary>
/// The channels the worker delivers on: the service key of each channel's <see cref="SentMarkers"/>,
/// <see cref="SendLeases"/> and <see cref="SharedRateLimiter"/>, and the prefix of its sent markers and leases.
/// </summary>
internal static class DeliveryChannels
{
    public const string Sms = "sms";
    public const string Email = "email";

    /// <summary>
    /// Notification deliveries, by SMS or email: markers and leases of their own (<c>notification:sent:{deliveryId}</c>),
    /// since delivery ids and message ids are counted apart and may be equal; the rate limits are the providers'
    /// (<see cref="Sms"/>'s and <see cref="Email"/>'s).
    /// </summary>
    public const string Notification = "notification";
}
