using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Features.Campaigns.Delivery;
using TaskApi.Features.Tasks.Scheduling;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.Campaigns.Sending;

/// <summary>
/// What the mailing reconciler is for mailings, for campaigns: every <see cref="ReconciliationOptions.Interval"/> the
/// send times and retries due within two intervals are requested from the Scheduler again (it stores an id once), and
/// those overdue by <see cref="ReconciliationOptions.OverdueAfter"/> (lost with Redis's data) are delivered now. Starting
/// and sending are idempotent, so one delivered twice does no harm.
/// And when no email has been settled for <see cref="ReconciliationOptions.EmailSilence"/> (an SMTP attempt's timeout plus a
/// margin), the pending emails due that long ago, of campaigns started that long ago (and daily reports made that long
/// ago), are dispatched again (their send record or report was lost with Kafka's data), and each of their campaigns'
/// content is published again (<c>campaigns.changes</c> went with the rest). Under the same dispatch number: an email's
/// attempts are counted by its dispatch numbers, and the first report of a dispatch settles it (a later one of the same
/// number is stale), so a copy neither counts an attempt twice nor fights a report; the worker's sent marker keeps an
/// email the SMTP server already took from going out again.
/// </summary>
public sealed class CampaignReconciler(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<CampaignReconciler> logger) : PeriodicReconciler(outbox, options, clock, logger)
{
    private readonly ChannelSilence<EmailsProgress> _silence = new(options.Value.EmailSilence);

    protected override string What => "campaign schedules";

    protected override async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow().TruncateToMicroseconds();
        var horizon = now + 2 * Options.Interval;
        var overdue = now - Options.OverdueAfter;
        // Not yet released by the Scheduler (with a margin for clocks).
        var notYetReleased = now.AddSeconds(1);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var campaigns = await db.Campaigns.AsNoTracking()
            .Where(c => c.Status == CampaignStatus.Scheduled && ((c.SendAt > notYetReleased && c.SendAt <= horizon) || c.SendAt < overdue))
            .ToListAsync(cancellationToken);
        // An overdue send time's record goes out at once: Due publishes a time already past directly.
        db.OutboxMessages.AddRange(campaigns.Select(campaign => CampaignRecords.Due(campaign, traceParent: null, now)));

        var waiting = await db.EmailMessages
            .Where(m => m.Status == EmailStatus.Pending && m.DueAt != null && ((m.DueAt > notYetReleased && m.DueAt <= horizon) || m.DueAt < overdue))
            .OrderBy(m => m.DueAt)
            .Take(Options.MaxPerPass)
            .ToListAsync(cancellationToken);
        foreach (var email in waiting)
        {
            var lost = email.DueAt < overdue;
            db.OutboxMessages.Add(CampaignRecords.Send(EmailTransition.SendItem(Row(email), email.Dispatch), lost ? null : email.DueAt, traceParent: null, now));
            if (lost)
            {
                // Sent now, so it is not reconciled again.
                email.DueAt = null;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        var requested = db.ChangeTracker.Entries<OutboxMessage>().Count();
        return requested + await DispatchSilentAgainAsync(db, [.. waiting.Select(email => email.Id)], now, cancellationToken);
    }

    /// <summary>Dispatches again the silent channel's unreported emails, except <c>justSent</c> (this pass sent them: their schedule was lost).</summary>
    private async Task<int> DispatchSilentAgainAsync(TasksDbContext db, long[] justSent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sending = db.Campaigns.Where(c => c.Status == CampaignStatus.Sending);
        var progress = new EmailsProgress(
            await sending.CountAsync(cancellationToken),
            await sending.SumAsync(c => c.Counts.Pending, cancellationToken),
            await db.EmailMessages.CountAsync(m => m.CampaignId == null && m.Status == EmailStatus.Pending, cancellationToken));
        if (!_silence.IsSilent(progress, now))
        {
            return 0;
        }

        var silentSince = now - Options.EmailSilence;
        var campaignIds = await sending.Where(c => c.StartedAt < silentSince).Select(c => c.Id).ToArrayAsync(cancellationToken);
        var pending = StatusNames<EmailStatus>.Of(EmailStatus.Pending);
        var dispatched = await InTransactionAsync(db, async () =>
        {
            // Locked, and skipped while a report holds them: that report decides, and the next pass sees its outcome.
            var silent = await db.EmailMessages.FromSql($"""
                SELECT * FROM email_messages
                WHERE (campaign_id = ANY({campaignIds}) OR (campaign_id IS NULL AND created_at < {silentSince}))
                  AND status = {pending} AND (due_at IS NULL OR due_at < {silentSince}) AND NOT id = ANY({justSent})
                ORDER BY id LIMIT {Options.MaxPerPass} FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
            foreach (var campaign in await CampaignsOfAsync(db, silent, cancellationToken))
            {
                var template = await db.EmailTemplates.AsNoTracking().SingleAsync(t => t.Id == campaign.TemplateId, cancellationToken);
                db.OutboxMessages.Add(CampaignRecords.Changed(CampaignContent.Sending(campaign, template.Subject, template.Html, template.Text), traceParent: null, now));
            }
            foreach (var email in silent)
            {
                email.DueAt = null;
                db.OutboxMessages.Add(CampaignRecords.Send(EmailTransition.SendItem(Row(email), email.Dispatch), dueAt: null, traceParent: null, now));
            }
            await db.SaveChangesAsync(cancellationToken);
            return silent.Count;
        }, cancellationToken);
        if (dispatched > 0)
        {
            _silence.Redispatched(now);
            LogDispatchedAgain(dispatched, Options.EmailSilence);
        }
        return dispatched;
    }

    private static Task<List<Campaign>> CampaignsOfAsync(TasksDbContext db, List<EmailMessage> emails, CancellationToken cancellationToken)
    {
        var ids = emails.Where(e => e.CampaignId is not null).Select(e => e.CampaignId!.Value).Distinct().ToArray();
        return db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
    }

    private static EmailRow Row(EmailMessage email) =>
        new(email.Id, email.CampaignId, email.Email, email.Name, email.Fields, email.Content, email.Status, email.Attempts, email.Dispatch);

    /// <summary>What moves with every email settled: the sending campaigns, their pending emails, the pending daily reports.</summary>
    private readonly record struct EmailsProgress(int Sending, int Pending, int PendingReports);
}
