using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Model;

namespace TaskApi.Features.Tasks.Scheduling;

/// <summary>
/// PostgreSQL, not Redis, is the source of truth for what waits. Every <see cref="ReconciliationOptions.Interval"/>
/// this requests again the schedules of tasks that are due within two intervals (the Scheduler stores a schedule id
/// once, so a schedule it still holds is unaffected, and one Redis lost is restored before it is due), and of tasks
/// still <c>new</c> long after they were due (their schedule was lost): those are requested to run now, and their
/// <c>scheduledFor</c> moves to now, so each is requested again at most once per <see cref="ReconciliationOptions.OverdueAfter"/>.
/// </summary>
public sealed class ScheduleReconciler(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<ScheduleReconciler> logger) : PeriodicReconciler(outbox, options, clock, logger)
{
    protected override string What => "task schedules";

    protected override async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow().TruncateToMicroseconds();
        var horizon = now + 2 * Options.Interval;
        var overdue = now - Options.OverdueAfter;
        // Not yet released by the Scheduler (with a margin for clocks), so requesting it again cannot run it twice.
        var notYetReleased = now.AddSeconds(1);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        // Nearest first; what does not fit in one pass is due later and is reached by the next passes.
        var waiting = await db.Tasks
            .Where(t => t.Status == TaskItemStatus.New && t.ScheduledFor != null
                && ((t.ScheduledFor > notYetReleased && t.ScheduledFor <= horizon) || t.ScheduledFor < overdue))
            .OrderBy(t => t.ScheduledFor)
            .Take(Options.MaxPerPass)
            .ToListAsync(cancellationToken);

        foreach (var task in waiting)
        {
            var lost = task.ScheduledFor < overdue;
            var payload = task.Payload is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(task.Payload);
            db.OutboxMessages.Add(TaskWork.Enqueue(task.Id, task.Name, payload, task.Attempts, lost ? now : task.ScheduledFor, traceParent: null, now));
            if (lost)
            {
                task.ScheduledFor = now;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return waiting.Count;
    }
}
