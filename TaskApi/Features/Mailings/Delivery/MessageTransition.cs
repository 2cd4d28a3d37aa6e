using TaskApi.Features.Mailings.Planning;
using TaskApi.Infrastructure;
using Tasks.Shared;

namespace TaskApi.Features.Mailings.Delivery;

/// <summary>A message as the status update reads it (locked).</summary>
public sealed record MessageRow(long Id, long MailingId, long ClientId, string Phone, string TimeZone, MessageStatus Status, int Attempts, int Dispatch);

/// <summary>What a report does to a message: its new state and, while it stays pending, its next send record.</summary>
public sealed record MessageTransition(
    MessageRow Before,
    MessageStatus Status,
    int Attempts,
    int Dispatch,
    DateTimeOffset? DueAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? FinishedAt,
    string? LastError,
    SmsSendItem? NextSend,
    string? RequeueReason)
{
    /// <summary>
    /// Applies a worker's report to a message, or returns null when it changes nothing. Reports of an earlier send record
    /// than the message's current one, and reports for a final message, are stale: only a <c>sent</c> still counts (the
    /// provider has the message, whatever else happened since), so a message is never reported as unsent when it went out.
    /// </summary>
    public static MessageTransition? Decide(MessageRow row, SmsOutcomeReported report, Mailing mailing, DateTimeOffset now, BackoffOptions backoff)
    {
        if (row.Status == MessageStatus.Sent)
        {
            return null;
        }
        var current = row.Status == MessageStatus.Pending && report.Dispatch == row.Dispatch;
        if (report.Outcome == SmsOutcome.Sent)
        {
            return Final(row, report, MessageStatus.Sent, attempts: row.Attempts + (current ? 1 : 0), error: null, sentAt: report.OccurredAt);
        }
        if (!current)
        {
            return null;
        }

        var attempts = row.Attempts + (report.Called ? 1 : 0);
        return report.Outcome switch
        {
            SmsOutcome.Failed => Final(row, report, MessageStatus.Failed, attempts, report.Error, sentAt: null),
            SmsOutcome.Retry => Next(row, mailing, attempts, report.Error,
                Later(backoff.NextAttemptAt(report.OccurredAt, Math.Max(attempts, 1)), report.RetryNotBefore), now, "retry"),
            SmsOutcome.OutsideWindow => Next(row, mailing, attempts, report.Error, report.OccurredAt, now, "window"),
            // The worker held an older end; a mailing still running before its (moved) end sends on.
            _ when mailing.Status == MailingStatus.Running && now < mailing.EndAt => Next(row, mailing, attempts, report.Error, now, now, "end_moved"),
            _ => Final(row, report, MessageStatus.Expired, attempts, report.Error, sentAt: null),
        };
    }

    private static MessageTransition Next(MessageRow row, Mailing mailing, int attempts, string? error, DateTimeOffset earliest, DateTimeOffset now, string reason)
    {
        if (mailing.Status != MailingStatus.Running)
        {
            return new(row, MessageStatus.Cancelled, attempts, row.Dispatch, null, null, now, error, null, null);
        }
        var plan = SendPlan.For(mailing, row.TimeZone, earliest, now);
        if (plan.Expires)
        {
            return new(row, MessageStatus.Expired, attempts, row.Dispatch, null, null, now, error, null, null);
        }
        var dispatch = row.Dispatch + 1;
        return new(row, MessageStatus.Pending, attempts, dispatch, plan.DueAt, null, null, error,
            plan.Item(mailing, row.Id, row.ClientId, row.Phone, dispatch), reason);
    }

    private static MessageTransition Final(MessageRow row, SmsOutcomeReported report, MessageStatus status, int attempts, string? error, DateTimeOffset? sentAt) =>
        new(row, status, attempts, row.Dispatch, null, sentAt, report.OccurredAt, error, null, null);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other > a ? other : a;
}
