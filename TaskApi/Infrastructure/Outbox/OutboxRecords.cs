using System.Text;
using Tasks.Shared;

namespace TaskApi.Infrastructure.Outbox;

/// <summary>
/// Outbox records for a Kafka record that is due now or later: now, the record itself; later, a request to the
/// Scheduler to deliver it then, under a schedule id that names it (the same id requested twice is stored once).
/// </summary>
public static class OutboxRecords
{
    private const string TraceParentHeader = "traceparent";

    /// <summary>The record now; a null <paramref name="value"/> is a tombstone, <paramref name="express"/> puts it in the relay's express lane.</summary>
    public static OutboxMessage Publish(string topic, byte[] key, byte[]? value, string? traceParent, DateTimeOffset now, bool express = false) =>
        new() { Topic = topic, Key = key, Value = value, TraceParent = traceParent, CreatedAt = now, Express = express };

    /// <summary>
    /// The record at <paramref name="dueAt"/>: published now when that is null, else through the Scheduler (which releases
    /// a time already past at once).
    /// </summary>
    public static OutboxMessage DeliverAt(
        string topic, byte[] key, byte[] value, DateTimeOffset? dueAt, string scheduleId, string? traceParent, DateTimeOffset now, bool express = false)
    {
        if (dueAt is null)
        {
            return Publish(topic, key, value, traceParent, now, express);
        }
        // The released record carries the trace of the operation that scheduled it.
        IReadOnlyList<ScheduledHeader> headers = traceParent is null ? [] : [new ScheduledHeader(TraceParentHeader, Encoding.UTF8.GetBytes(traceParent))];
        var request = new ScheduleRequest(scheduleId, dueAt.Value, topic, key, value, headers);
        return Publish(KafkaTopics.SchedulerRequests, Encoding.UTF8.GetBytes(scheduleId), MessageJson.Serialize(request), traceParent, now, express);
    }

    public static OutboxMessage CancelSchedule(string scheduleId, string? traceParent, DateTimeOffset now) =>
        Publish(KafkaTopics.SchedulerCancels, Encoding.UTF8.GetBytes(scheduleId), MessageJson.Serialize(new ScheduleCancel(scheduleId)), traceParent, now);
}
