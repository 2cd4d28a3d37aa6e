using System.ComponentModel.DataAnnotations;

namespace TaskWorker.Notifications;

/// <summary>
/// How TaskWorker hands over notification deliveries; bound from the <c>Notifications</c> section (which TaskApi reads
/// too, for its own keys) and validated at start-up. Notifications are sent only by a worker that sends both SMS
/// (<c>Sms:BaseUrl</c>) and email (<c>Smtp:Host</c>).
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Most notifications.send records handled at once (waiting for the rate limit or a connection included).</summary>
    [Range(1, 1_000_000)]
    public int MaxInFlight { get; set; } = 1_000;

    /// <summary>
    /// Most notifications.express records handled at once: a budget of their own, so express deliveries are taken off
    /// their topic whatever the other consumers hold.
    /// </summary>
    [Range(1, 1_000_000)]
    public int ExpressMaxInFlight { get; set; } = 1_000;

    /// <summary>The SMTP sessions of express emails: a pool of their own beside <c>Smtp:MaxConnections</c>.</summary>
    [Range(1, 100)]
    public int ExpressSmtpConnections { get; set; } = 2;

    /// <summary>The calls (and connections) of express SMS at once: an HttpClient and turns of their own beside <c>Sms:MaxConnections</c>.</summary>
    [Range(1, 10_000)]
    public int ExpressSmsConnections { get; set; } = 32;

    /// <summary>
    /// How long a delivery waits for its notification's content to be read from notifications.changes: TaskApi publishes
    /// it before the deliveries, but the listener may lag. Past it the delivery is reported for a retry.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ContentWait { get; set; } = TimeSpan.FromSeconds(30);
}
