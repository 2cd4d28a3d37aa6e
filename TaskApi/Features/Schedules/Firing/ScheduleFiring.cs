using System.Diagnostics;
using Microsoft.Extensions.Options;
using TaskApi.Features.Notifications;
using TaskApi.Features.Notifications.Dispatch;
using TaskApi.Features.Tasks;
using TaskApi.Features.Tasks.Scheduling;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Schedules.Firing;

/// <summary>An occurrence's outcome, logged and counted once its transaction committed.</summary>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="At">The occurrence (for skipped ones, the first skipped).</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Created">What it created, when fired: "task {id}" or "notification {id}".</param>
/// <param name="Notification">The notification it created, with its deliveries and their dispatch.</param>
/// <param name="Count">How many occurrences this reports (skipped ones, counted up to <see cref="ScheduleFiring.MaxCountedSkips"/>).</param>
/// <param name="Until">For skipped occurrences: the last one skipped.</param>
public sealed record OccurrenceReport(
    long ScheduleId, DateTimeOffset At, OccurrenceOutcome Outcome, string? Created = null, NotificationCreated? Notification = null, int Count = 1,
    DateTimeOffset? Until = null);

/// <summary>
/// Fires a schedule's occurrences and moves it to the next one, in the caller's transaction with the schedule's row
/// locked: the occurrence's task is created through <see cref="TaskCreation"/> (its notification through
/// <see cref="NotificationCreation"/>) as the schedule's creator with an idempotency key of the schedule and occurrence
/// (so however often an occurrence is fired, by however many replicas, it has one task or notification), and the next
/// occurrence is requested from the Scheduler. A next occurrence already past by more
/// than <see cref="ReconciliationOptions.OverdueAfter"/> was missed (the system was down, or the Scheduler lost it):
/// <see cref="MisfirePolicy.RunOnce"/> fires the latest of the missed ones now, <see cref="MisfirePolicy.Skip"/> none.
/// </summary>
public sealed partial class ScheduleFiring(
    ScheduleMetrics metrics,
    TaskMetrics taskMetrics,
    NotificationDispatch dispatch,
    NotificationMetrics notificationMetrics,
    IOptions<ReconciliationOptions> options,
    ILogger<ScheduleFiring> logger)
{
    public const string TaskSource = "schedule";

    /// <summary>Skipped occurrences are counted up to this many per catch-up (an every-second schedule down for a year has 31 million).</summary>
    public const int MaxCountedSkips = 10_000;

    private static readonly ActivitySource Source = new(TaskMetrics.MeterName);

    /// <summary>The key of an occurrence's task or notification; the space keeps it apart from every key a REST caller may send.</summary>
    public static string IdempotencyKey(long scheduleId, DateTimeOffset occurrence) =>
        $"schedule {scheduleId} {occurrence.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";

    /// <summary>Creates the task or notification of <paramref name="occurrence"/> (once), then moves on to the occurrence after it.</summary>
    public async Task FireAsync(TasksDbContext db, Schedule schedule, DateTimeOffset occurrence, string? traceParent, DateTimeOffset now,
        List<OccurrenceReport> reports, CancellationToken cancellationToken)
    {
        var key = IdempotencyKey(schedule.Id, occurrence);
        if (schedule.Kind == ScheduleKind.Notification)
        {
            var target = ScheduledNotification.Read(schedule.Target);
            var outcome = await NotificationCreation.CreateAsync(db, dispatch, target.ToNotification(key, schedule.CreatedBy, now), target.UserIds, cancellationToken);
            reports.Add(outcome.IsNew
                ? new OccurrenceReport(schedule.Id, occurrence, OccurrenceOutcome.Fired, $"notification {outcome.Notification.Id}", outcome)
                : new OccurrenceReport(schedule.Id, occurrence, OccurrenceOutcome.Duplicate));
        }
        else
        {
            var target = ScheduledTask.Read(schedule.Target);
            var task = target.ToRequest(key).ToNewTask(now, schedule.CreatedBy);
            var created = await TaskCreation.InsertAsync(db, [new NewTask(task, target.Payload, traceParent)], cancellationToken);
            reports.Add(new OccurrenceReport(schedule.Id, occurrence, created.Count == 1 ? OccurrenceOutcome.Fired : OccurrenceOutcome.Duplicate, $"task {task.Id}"));
        }
        schedule.LastOccurrence = occurrence;
        await MoveOnAsync(db, schedule, ScheduleCron.Of(schedule).Next(occurrence), now, reports, cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="next"/> the occurrence the schedule waits for and requests it, or, when it was missed,
    /// applies the schedule's misfire policy.
    /// </summary>
    public async Task MoveOnAsync(TasksDbContext db, Schedule schedule, DateTimeOffset? next, DateTimeOffset now,
        List<OccurrenceReport> reports, CancellationToken cancellationToken)
    {
        if (next is { } missed && missed < now - options.Value.OverdueAfter)
        {
            var cron = ScheduleCron.Of(schedule);
            if (schedule.Misfire == MisfirePolicy.RunOnce && cron.Latest(missed, now) is { } latest)
            {
                if (latest > missed)
                {
                    reports.Add(new OccurrenceReport(schedule.Id, missed, OccurrenceOutcome.Skipped, Count: cron.Count(missed, latest, MaxCountedSkips) - 1, Until: latest));
                }
                var traceParent = RootTrace.Begin(Source, "schedule occurrence missed", [], ("schedule.id", schedule.Id));
                await FireAsync(db, schedule, latest, traceParent, now, reports, cancellationToken);
                return;
            }
            reports.Add(new OccurrenceReport(schedule.Id, missed, OccurrenceOutcome.Skipped, Count: cron.Count(missed, now, MaxCountedSkips), Until: cron.Latest(missed, now)));
            next = cron.Next(now);
        }
        schedule.NextOccurrence = next;
        if (next is not null)
        {
            db.OutboxMessages.Add(ScheduleRecords.Request(schedule, now));
        }
    }

    /// <summary>Logs and counts what a committed transaction did.</summary>
    public void Report(IEnumerable<OccurrenceReport> reports)
    {
        foreach (var report in reports)
        {
            metrics.Occurred(report.Outcome, report.Count);
            switch (report.Outcome)
            {
                case OccurrenceOutcome.Fired when report.Notification is { } notification:
                    notificationMetrics.DeliveriesCreated(notification.Created);
                    LogFired(report.ScheduleId, report.At, report.Created!);
                    if (notification.Dispatch is { } dispatched)
                    {
                        notificationMetrics.Dispatched(dispatched);
                        DispatchLog.Dispatched(logger, dispatched);
                    }
                    break;
                case OccurrenceOutcome.Fired:
                    taskMetrics.Created(TaskSource);
                    LogFired(report.ScheduleId, report.At, report.Created!);
                    break;
                case OccurrenceOutcome.Duplicate:
                    LogDuplicate(report.ScheduleId, report.At);
                    break;
                case OccurrenceOutcome.Skipped:
                    LogSkipped(report.ScheduleId, report.Count, report.At, report.Until);
                    break;
                default:
                    LogStale(report.ScheduleId, report.At);
                    break;
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Schedule {ScheduleId} fired its occurrence at {Occurrence:O}: {Created} created")]
    private partial void LogFired(long scheduleId, DateTimeOffset occurrence, string created);

    [LoggerMessage(LogLevel.Information, "Schedule {ScheduleId} occurrence at {Occurrence:O} had its task or notification already; none created")]
    private partial void LogDuplicate(long scheduleId, DateTimeOffset occurrence);

    [LoggerMessage(LogLevel.Warning, "Schedule {ScheduleId} skipped {Count} missed occurrences from {First:O} to {Last:O}")]
    private partial void LogSkipped(long scheduleId, int count, DateTimeOffset first, DateTimeOffset? last);

    [LoggerMessage(LogLevel.Information, "Schedule {ScheduleId} occurrence at {Occurrence:O} is stale (the schedule changed, paused or was deleted); ignored")]
    private partial void LogStale(long scheduleId, DateTimeOffset occurrence);
}
