using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Model;

namespace TaskApi.Features.Tasks.Scheduling;

/// <summary>
/// PostgreSQL, not Redis or Kafka, is the source of truth for the work on tasks. Every <see cref="ReconciliationOptions.Interval"/>
/// this requests again the schedules of tasks that are due within two intervals (the Scheduler stores a schedule id
/// once, so a schedule it still holds is unaffected, and one Redis lost is restored before it is due), and of tasks
/// still <c>new</c> long after they were due (their schedule was lost): those are requested to run now, and their
/// <c>scheduledFor</c> moves to now, so each is requested again at most once per <see cref="ReconciliationOptions.OverdueAfter"/>.
/// And when no task has moved for <see cref="ReconciliationOptions.TaskSilence"/> (a run's longest time plus a margin),
/// the tasks <c>new</c> or <c>in_progress</c> that long are dispatched again (their <c>tasks.work</c> record or their
/// report was lost with Kafka's data): the same attempt again, and the status updates only move a task forward, so a
/// run that did happen changes nothing.
/// </summary>
public sealed class ScheduleReconciler(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<ScheduleReconciler> logger) : PeriodicReconciler(outbox, options, clock, logger)
{
    private readonly ChannelSilence<UnfinishedTasks> _silence = new(options.Value.TaskSilence);

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
            db.OutboxMessages.Add(Enqueue(task, lost ? now : task.ScheduledFor, now));
            if (lost)
            {
                task.ScheduledFor = now;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return waiting.Count + await DispatchSilentAgainAsync(db, now, cancellationToken);
    }

    private async Task<int> DispatchSilentAgainAsync(TasksDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unfinished = await db.Tasks
            .Where(t => t.Status == TaskItemStatus.New || t.Status == TaskItemStatus.InProgress)
            .GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        var progress = new UnfinishedTasks(unfinished.GetValueOrDefault(TaskItemStatus.New), unfinished.GetValueOrDefault(TaskItemStatus.InProgress));
        if (!_silence.IsSilent(progress, now))
        {
            return 0;
        }

        // Due (or started) before the channel went silent: nothing of theirs can still be on its way.
        var silentSince = now - Options.TaskSilence;
        var silent = await db.Tasks.AsNoTracking()
            .Where(t => (t.Status == TaskItemStatus.New && (t.ScheduledFor ?? t.CreatedAt) < silentSince)
                || (t.Status == TaskItemStatus.InProgress && (t.StartedAt ?? t.CreatedAt) < silentSince))
            .OrderBy(t => t.CreatedAt)
            .Take(Options.MaxPerPass)
            .ToListAsync(cancellationToken);
        db.OutboxMessages.AddRange(silent.Select(task => Enqueue(task, dueAt: null, now)));
        await db.SaveChangesAsync(cancellationToken);
        if (silent.Count > 0)
        {
            _silence.Redispatched(now);
            LogDispatchedAgain(silent.Count, Options.TaskSilence);
        }
        return silent.Count;
    }

    private static OutboxMessage Enqueue(TaskItem task, DateTimeOffset? dueAt, DateTimeOffset now)
    {
        var payload = task.Payload is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(task.Payload);
        return TaskWork.Enqueue(task.Id, task.Name, payload, task.Attempts, dueAt, traceParent: null, now);
    }

    /// <summary>What moves with every applied task report: how many tasks are new and how many run.</summary>
    private readonly record struct UnfinishedTasks(int New, int InProgress);
}
