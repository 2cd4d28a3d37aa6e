using System.Diagnostics;
using System.Text;
using TaskApi.Features.Tasks;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Schedules.Firing;

/// <summary>
/// The Scheduler's records of a schedule's next occurrence: one Scheduler id per schedule, version and occurrence, so
/// a changed schedule's new request is never taken for its cancelled old one (the Scheduler ignores a cancelled id),
/// and the same occurrence requested again (by the reconciler) is stored once.
/// </summary>
public static class ScheduleRecords
{
    private static readonly ActivitySource Source = new(TaskMetrics.MeterName);

    public static string SchedulerId(Schedule schedule) =>
        $"schedule-{schedule.Id}-v{schedule.Version}-{schedule.NextOccurrence!.Value.ToUnixTimeMilliseconds()}";

    /// <summary>
    /// Asks the Scheduler to release the schedule's next occurrence to <c>schedules.due</c> at its time. Each occurrence
    /// is a trace of its own (linked to the operation that requested it), which the task it creates continues.
    /// </summary>
    public static OutboxMessage Request(Schedule schedule, DateTimeOffset now)
    {
        var occurrence = schedule.NextOccurrence!.Value;
        var links = Activity.Current is { } current ? new[] { new ActivityLink(current.Context) } : [];
        var traceParent = RootTrace.Begin(Source, "schedule occurrence", links, ("schedule.id", schedule.Id));
        return OutboxRecords.DeliverAt(KafkaTopics.SchedulesDue, Key(schedule), MessageJson.Serialize(new ScheduleDue(schedule.Id, schedule.Version, occurrence)),
            occurrence, SchedulerId(schedule), traceParent, now);
    }

    /// <summary>Drops the request of the schedule's next occurrence, before a change moves it.</summary>
    public static OutboxMessage Cancel(Schedule schedule, DateTimeOffset now) =>
        OutboxRecords.CancelSchedule(SchedulerId(schedule), TaskCreation.CurrentTraceParent(), now);

    private static byte[] Key(Schedule schedule) => Encoding.UTF8.GetBytes(schedule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
