using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Features.Tasks.Scheduling;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.Schedules.Firing;

/// <summary>
/// What the task reconciler is for deferred tasks, for recurring schedules: every <see cref="ReconciliationOptions.Interval"/>
/// the occurrences due within two intervals are requested from the Scheduler again (it stores an id once, so one it
/// still holds is unaffected and one Redis lost is restored), and the schedules whose occurrence is past by more than
/// <see cref="ReconciliationOptions.OverdueAfter"/> (the system was down, or Redis lost it) are caught up by their
/// misfire policy (<see cref="ScheduleFiring.MoveOnAsync"/>): the latest missed occurrence runs once, or none.
/// </summary>
public sealed class OccurrenceReconciler(
    IServiceScopeFactory scopes,
    ScheduleFiring firing,
    OutboxSignal outbox,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<OccurrenceReconciler> logger) : PeriodicReconciler(outbox, options, clock, logger)
{
    protected override string What => "schedule occurrences";

    protected override async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow().TruncateToMicroseconds();
        var horizon = now + 2 * Options.Interval;
        // Not yet released by the Scheduler (with a margin for clocks), so requesting it again cannot fire it twice.
        var notYetReleased = now.AddSeconds(1);
        var overdue = now - Options.OverdueAfter;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var dueSoon = await db.Schedules.AsNoTracking()
            .Where(s => s.NextOccurrence > notYetReleased && s.NextOccurrence <= horizon)
            .OrderBy(s => s.NextOccurrence)
            .Take(Options.MaxPerPass)
            .ToListAsync(cancellationToken);
        db.OutboxMessages.AddRange(dueSoon.Select(schedule => ScheduleRecords.Request(schedule, now)));
        await db.SaveChangesAsync(cancellationToken);

        var reports = new List<OccurrenceReport>();
        var caughtUp = await InTransactionAsync(db, async () =>
        {
            reports.Clear();
            // Locked, and skipped while a replica's consumer or reconciler holds them: that one moves them on.
            var missed = await db.Schedules.FromSql($"""
                SELECT * FROM schedules WHERE next_occurrence < {overdue}
                ORDER BY next_occurrence LIMIT {Options.MaxPerPass} FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
            foreach (var schedule in missed)
            {
                await firing.MoveOnAsync(db, schedule, schedule.NextOccurrence, now, reports, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            return missed.Count;
        }, cancellationToken);
        firing.Report(reports);
        return dueSoon.Count + caughtUp;
    }
}
