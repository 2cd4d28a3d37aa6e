namespace Tasks.Shared;

/// <summary>
/// An SMS to hand to the sending API; key: the message id. <see cref="Dispatch"/> counts the records made for the message
/// (a retry or a wait for the send window makes a new one), so a status report of an earlier record is recognised.
/// The worker sends only before <see cref="ExpiresAt"/> (the mailing's end, unless a later change moved it) and before
/// <see cref="WindowClosesAt"/> (the close of the client's current send window, null when the mailing has none).
/// </summary>
public sealed record SmsSendItem(
    long MessageId,
    long MailingId,
    long ClientId,
    string Phone,
    string Text,
    int Dispatch,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? WindowClosesAt);

/// <summary>
/// What became of one <see cref="SmsSendItem"/>; key: the message id. <see cref="Called"/> is true when the sending API
/// was called (an attempt), false when the worker did not call it (expired, outside the window).
/// </summary>
public sealed record SmsOutcomeReported(
    long MessageId,
    long MailingId,
    int Dispatch,
    SmsOutcome Outcome,
    bool Called,
    DateTimeOffset OccurredAt,
    string? Error = null,
    DateTimeOffset? RetryNotBefore = null);

public enum SmsOutcome
{
    /// <summary>The API answered 200.</summary>
    Sent,

    /// <summary>The API refused it for good (a 4xx other than 408 and 429).</summary>
    Failed,

    /// <summary>The attempt failed in a way a later one may not (5xx, 408, 429, timeout, connection error).</summary>
    Retry,

    /// <summary>Not sent: the mailing had ended.</summary>
    Expired,

    /// <summary>Not sent: the client's send window had closed.</summary>
    OutsideWindow,
}

/// <summary>
/// A mailing's state as the workers need it, on <c>mailings.changes</c> keyed by the mailing id (the latest per key
/// is what counts): a cancelled mailing sends nothing more, and <see cref="EndAt"/> replaces the records' expiry.
/// </summary>
public sealed record MailingChanged(long MailingId, DateTimeOffset EndAt, bool Cancelled);

/// <summary>A mailing's start or end time came; released by the Scheduler to <c>mailings.due</c>, keyed by the mailing id.</summary>
public sealed record MailingDue(long MailingId, MailingMoment Moment, int TimesVersion);

public enum MailingMoment
{
    Start,
    End,
}
