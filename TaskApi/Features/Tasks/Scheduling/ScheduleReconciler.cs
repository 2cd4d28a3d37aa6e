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
public sealed partial class ScheduleReconciler(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<ScheduleReconciler> logger) : BackgroundService
{
    private readonly ReconciliationOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var requested = await ReconcileAsync(stoppingToken);
                if (requested > 0)
                {
                    outbox.Notify();
                    LogRequested(requested);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
    }

    private async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var horizon = now + 2 * _options.Interval;
        var overdue = now - _options.OverdueAfter;
        // Not yet released by the Scheduler (with a margin for clocks), so requesting it again cannot run it twice.
        var notYetReleased = now.AddSeconds(1);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        // Nearest first; what does not fit in one pass is due later and is reached by the next passes.
        var waiting = await db.Tasks
            .Where(t => t.Status == TaskItemStatus.New && t.ScheduledFor != null
                && ((t.ScheduledFor > notYetReleased && t.ScheduledFor <= horizon) || t.ScheduledFor < overdue))
            .OrderBy(t => t.ScheduledFor)
            .Take(_options.MaxPerPass)
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

    [LoggerMessage(LogLevel.Information, "Requested {Count} waiting schedules again")]
    private partial void LogRequested(int count);

    [LoggerMessage(LogLevel.Warning, "Reconciling waiting schedules failed; trying again next interval")]
    private partial void LogFailed(Exception exception);
}
