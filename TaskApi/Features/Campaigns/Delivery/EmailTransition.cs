using System.Text.Json;
using TaskApi.Infrastructure;
using Tasks.Shared;

namespace TaskApi.Features.Campaigns.Delivery;

/// <summary>An email as the status consumer locked it.</summary>
public sealed record EmailRow(long Id, long? CampaignId, string Email, string? Name, string? Fields, string? Content, EmailStatus Status, int Attempts, int Dispatch);

/// <summary>
/// What a worker's report makes of an email. A report of the current send record settles a pending email: sent, failed
/// (a 5xx reply), or, after a transient failure, pending again with a new send record after a backoff until
/// <see cref="CampaignOptions.MaxAttempts"/> is reached. A report that the email was sent counts whatever the record or
/// status (it went out, even if the campaign was cancelled meanwhile); any other report of an earlier record, or of an
/// email already final, changes nothing.
/// </summary>
public sealed record EmailTransition(
    EmailRow Before,
    EmailStatus Status,
    int Attempts,
    int Dispatch,
    DateTimeOffset? DueAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? FinishedAt,
    string? LastError,
    EmailSendItem? NextSend)
{
    public static EmailTransition? Decide(EmailRow row, EmailOutcomeReported report, DateTimeOffset now, CampaignOptions options)
    {
        if (report.Outcome == EmailOutcome.Sent)
        {
            return row.Status == EmailStatus.Sent ? null
                : new(row, EmailStatus.Sent, Math.Max(row.Attempts, report.Dispatch), row.Dispatch, null, report.OccurredAt, now, null, null);
        }
        if (row.Status != EmailStatus.Pending || report.Dispatch != row.Dispatch)
        {
            return null;
        }
        var attempts = Math.Max(row.Attempts, report.Dispatch);
        if (report.Outcome == EmailOutcome.Failed || attempts >= options.MaxAttempts)
        {
            return new(row, EmailStatus.Failed, attempts, row.Dispatch, null, null, now, report.Error, null);
        }
        var dueAt = options.Retries.NextAttemptAt(now, attempts).TruncateToMicroseconds();
        return new(row, EmailStatus.Pending, attempts, row.Dispatch + 1, dueAt, null, null, report.Error, SendItem(row, row.Dispatch + 1));
    }

    /// <summary>The send record of <paramref name="row"/>'s dispatch <paramref name="dispatch"/>.</summary>
    public static EmailSendItem SendItem(EmailRow row, int dispatch) => new(
        row.Id, row.CampaignId, dispatch, new EmailPerson(row.Email, row.Name),
        row.Fields is null ? null : JsonSerializer.Deserialize<JsonElement>(row.Fields),
        row.Content is null ? null : JsonSerializer.Deserialize<EmailContent>(row.Content, MessageJson.Options));
}
