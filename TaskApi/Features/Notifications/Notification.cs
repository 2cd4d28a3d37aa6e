namespace TaskApi.Features.Notifications;

/// <summary>
/// A message for a set of users on one or more channels (email, SMS, in-app), created by an operator or an app: one
/// <see cref="NotificationDelivery"/> per user and channel carries each user's part of it.
/// </summary>
public sealed class Notification
{
    /// <summary>Set once stored: creation inserts the row with SQL of its own and sets it from RETURNING.</summary>
    public long Id { get; set; }

    /// <summary>Who created it (<see cref="Infrastructure.Access.CreatedByColumn"/>); an app sees only its own.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>The creator's Idempotency-Key: a repeated POST with it answers this notification.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The email's subject and the in-app title (a template's subject when <see cref="TemplateId"/> is set).</summary>
    public required string Title { get; init; }

    /// <summary>The SMS, the in-app body and the email's text part.</summary>
    public required string Text { get; init; }

    /// <summary>The email's HTML part (a template's HTML when <see cref="TemplateId"/> is set); null: text only.</summary>
    public string? Html { get; init; }

    /// <summary>The email template the title and HTML were copied from at creation.</summary>
    public long? TemplateId { get; init; }

    /// <summary>A JSON object of the caller's data for the templates and the feed (json: kept verbatim).</summary>
    public string? Data { get; init; }

    /// <summary>The channels' database names (<see cref="DeliveryChannel"/>), in the request's order.</summary>
    public required string[] Channels { get; init; }

    /// <summary>Express: its own queues, ahead of any backlog, no quiet hours, no burst spreading (the dispatch's business).</summary>
    public bool Express { get; init; }

    /// <summary>Not before this; null: at once.</summary>
    public DateTimeOffset? SendAt { get; init; }

    public NotificationStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary><c>scheduled</c> (sendAt ahead) → <c>sending</c> → <c>done</c> (every delivery final), or <c>cancelled</c>.</summary>
public enum NotificationStatus
{
    Scheduled,
    Sending,
    Done,
    Cancelled,
}

/// <summary>One user's part of a notification on one channel.</summary>
public sealed class NotificationDelivery
{
    public long Id { get; init; }

    public long NotificationId { get; init; }

    /// <summary>The user's id; no foreign key: an erased user's delivery history stays, without contact data.</summary>
    public required string UserId { get; init; }

    public DeliveryChannel Channel { get; init; }

    public DeliveryStatus Status { get; set; }

    /// <summary>Why it was skipped; null unless skipped.</summary>
    public DeliveryReason? Reason { get; set; }

    /// <summary>The email address or phone it goes to, copied at creation; null in-app, when skipped, and once the user is erased.</summary>
    public string? Address { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>The send records made for it (a retry makes a new one); a report names the one it is about. 0: none yet.</summary>
    public int Dispatch { get; set; }

    /// <summary>
    /// When its current send record was handed to the outbox (in-app: when it was put in the feed); null while it waits to
    /// be dispatched (not yet, or again after a retry). The per-user cap counts these.
    /// </summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>When it is to go out, while it waits (send time, quiet hours, burst spreading, a retry).</summary>
    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>In-app: when the user read it in the feed.</summary>
    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>
    /// In-app: its place in the user's feed, taken from a sequence when it reached the feed (<see cref="Feed.FeedNotices"/>),
    /// in the order the feed's readers see them commit; null until then. The feed stream's event id.
    /// </summary>
    public long? FeedSeq { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A channel; stored as email, sms, in_app; the API says email, sms, inApp.</summary>
public enum DeliveryChannel
{
    Email,
    Sms,
    InApp,
}

/// <summary><c>pending</c> → <c>sent</c> | <c>failed</c> | <c>cancelled</c>; <c>skipped</c> from the start or by the dispatch (throttled).</summary>
public enum DeliveryStatus
{
    Pending,
    Sent,
    Failed,
    Skipped,
    Cancelled,
}

/// <summary>Why a delivery was skipped.</summary>
public enum DeliveryReason
{
    /// <summary>The user's preference for the channel is off.</summary>
    OptedOut,

    /// <summary>No such user, or the user has no email or phone for the channel.</summary>
    NoAddress,

    /// <summary>Over the per-user cap of notifications an hour (set by the dispatch).</summary>
    Throttled,
}
