using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings.Planning;

/// <summary>
/// Ends a mailing at its end time: every message not yet sent expires and the mailing is finished. A mailing whose
/// end moved since (another version of its times) or that is final already is left alone.
/// </summary>
public sealed class MailingEnd(TasksDbContext db, MailingMetrics metrics)
{
    /// <summary>Returns the number of messages that expired, or null when the mailing was not there to end.</summary>
    public async Task<int?> EndAsync(long mailingId, int timesVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mailing = await MailingMessages.LockAsync(db, mailingId, cancellationToken);
        if (mailing is null || mailing.TimesVersion != timesVersion || mailing.Status is MailingStatus.Finished or MailingStatus.Cancelled)
        {
            return null;
        }

        // A mailing still scheduled at its end never started (its start was lost with the Scheduler's data): nothing to send.
        var expired = mailing.Status == MailingStatus.Running
            ? await MailingMessages.EndPendingAsync(db, mailing, MessageStatus.Expired, now, cancellationToken)
            : 0;
        mailing.Status = MailingStatus.Finished;
        mailing.FinishedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        metrics.Settled(MessageStatus.Expired, expired);
        return expired;
    }
}
