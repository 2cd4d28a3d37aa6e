using System.Text.Json;

namespace Tasks.Shared;

/// <summary>An address with an optional display name, as an email's From or To carries it.</summary>
public sealed record EmailPerson(string Email, string? Name);

/// <summary>
/// An email to hand to the SMTP server; on <c>emails.send</c>, key: the message id. A campaign's email names its
/// <see cref="CampaignId"/>: the worker renders it from that campaign's <see cref="CampaignChanged"/> (compiled once)
/// with <see cref="To"/> and <see cref="Fields"/>. An email of our own (the daily report) has no campaign and carries
/// its finished <see cref="Content"/>. <see cref="Dispatch"/> counts the records made for the message (a retry makes a
/// new one), so a report of an earlier record is recognised.
/// </summary>
public sealed record EmailSendItem(
    long MessageId,
    long? CampaignId,
    int Dispatch,
    EmailPerson To,
    JsonElement? Fields = null,
    EmailContent? Content = null);

/// <summary>
/// A finished email: sender, subject and both parts, and TaskApi's <see cref="Signature"/> over them (base64 HMAC-SHA256;
/// TaskWorker sends only content TaskApi signed).
/// </summary>
public sealed record EmailContent(EmailPerson From, string Subject, string Html, string Text, string? Signature = null);

/// <summary>What became of one <see cref="EmailSendItem"/>; on <c>emails.status</c>, key: the message id.</summary>
public sealed record EmailOutcomeReported(
    long MessageId,
    long? CampaignId,
    int Dispatch,
    EmailOutcome Outcome,
    DateTimeOffset OccurredAt,
    string? Error = null);

public enum EmailOutcome
{
    /// <summary>The SMTP server accepted the message (250 after DATA).</summary>
    Sent,

    /// <summary>The server refused it for good (a 5xx reply), or it cannot be built (the reason in the error).</summary>
    Failed,

    /// <summary>The attempt failed in a way a later one may not: a 4xx reply, a lost connection, a timeout.</summary>
    Retry,
}

/// <summary>
/// A campaign as the workers need it to send its emails, on <c>campaigns.changes</c> keyed by the campaign id (the
/// latest per key counts): the template's parts as they were when sending began (later edits of the template do not
/// change a campaign being sent), the sender and the message. A cancelled campaign sends nothing more.
/// </summary>
public sealed record CampaignChanged(
    long CampaignId,
    string Name,
    EmailPerson From,
    string Subject,
    string Html,
    string? Text,
    string Message,
    bool Cancelled);

/// <summary>A deferred campaign's send time came; released by the Scheduler to <c>campaigns.due</c>, keyed by the campaign id.</summary>
public sealed record CampaignDue(long CampaignId);

/// <summary>Time for the daily report of <see cref="Date"/> (a local date, yyyy-MM-dd); released by the Scheduler to <c>reports.due</c>.</summary>
public sealed record ReportDue(string Date);
