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
/// </summary>
public sealed class CampaignReconciler(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<CampaignReconciler> logger) : PeriodicReconciler(outbox, options, clock, logger)
{
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
            var row = new EmailRow(email.Id, email.CampaignId, email.Email, email.Name, email.Fields, email.Content, email.Status, email.Attempts, email.Dispatch);
            db.OutboxMessages.Add(CampaignRecords.Send(EmailTransition.SendItem(row, email.Dispatch), lost ? null : email.DueAt, traceParent: null, now));
            if (lost)
            {
                // Sent now, so it is not reconciled again.
                email.DueAt = null;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return db.ChangeTracker.Entries<OutboxMessage>().Count();
    }
}
