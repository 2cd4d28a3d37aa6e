namespace Tasks.Shared;

/// <summary>
/// A notification's content as the workers send it, and its cancellation, on <c>notifications.changes</c> keyed by the
/// notification id (the latest per key counts; TaskApi writes a tombstone once the notification is done or cancelled
/// and nothing of it is in flight, so the workers forget it). The parts are final: TaskApi rendered any template.
/// </summary>
/// <param name="From">The email's sender.</param>
/// <param name="Subject">The email's subject (the notification's title).</param>
/// <param name="Text">The SMS and the email's text part.</param>
/// <param name="Html">The email's HTML part; null: a text-only email.</param>
/// <param name="Cancelled">True once cancelled: the workers send nothing more of it and report nothing (TaskApi settled it).</param>
public sealed record NotificationChanged(long NotificationId, EmailPerson From, string Subject, string Text, string? Html, bool Cancelled);

/// <summary>The channels a worker hands notification deliveries over on (in-app deliveries never leave TaskApi).</summary>
public enum NotificationSendChannel
{
    Email,
    Sms,
}

/// <summary>
/// One delivery of a notification to hand over, on <c>notifications.send</c> or, when <see cref="Express"/>,
/// <c>notifications.express</c>; key: the delivery id. <see cref="Dispatch"/> counts the records made for the delivery
/// (a retry makes a new one), so a report of an earlier record is recognised. <see cref="DueAt"/> is when it became due
/// (its creation, its send time, a retry's time): express latency is measured from it.
/// </summary>
/// <param name="Address">The email address or the phone (digits, as the users table holds it).</param>
/// <param name="Name">The user's name, the email's display name; null when the user has none.</param>
public sealed record NotificationSendItem(
    long DeliveryId,
    long NotificationId,
    NotificationSendChannel Channel,
    string Address,
    string? Name,
    int Dispatch,
    bool Express,
    DateTimeOffset DueAt);

/// <summary>What became of one <see cref="NotificationSendItem"/>; on <c>notifications.status</c>, key: the delivery id.</summary>
public sealed record NotificationOutcomeReported(
    long DeliveryId,
    long NotificationId,
    int Dispatch,
    NotificationOutcome Outcome,
    DateTimeOffset OccurredAt,
    string? Error = null,
    DateTimeOffset? RetryNotBefore = null);

public enum NotificationOutcome
{
    /// <summary>The provider took it (SMS API 200, SMTP 250).</summary>
    Sent,

    /// <summary>The provider refused it for good (a 4xx other than 408/429, an SMTP 5xx), or it cannot be built.</summary>
    Failed,

    /// <summary>The attempt failed in a way a later one may not (5xx, 408, 429, SMTP 4xx, timeout, connection lost).</summary>
    Retry,
}

/// <summary>
/// Some of a notification's deliveries are due (its send time, the end of quiet hours, a burst slot, a retry): released
/// by the Scheduler to <c>notifications.due</c>, keyed by the notification id; TaskApi dispatches every pending delivery
/// of the notification due by <see cref="DueAt"/> that it has not dispatched yet.
/// </summary>
public sealed record NotificationDue(long NotificationId, DateTimeOffset DueAt);
