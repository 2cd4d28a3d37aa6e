using System.Text;
using System.Text.Json;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Tasks;

/// <summary>
/// The outbox records that set an attempt of a task in motion: the work item straight to <c>tasks.work</c>,
/// or, when the attempt is due later, wrapped in a request to the Scheduler to deliver it then.
/// </summary>
public static class TaskWork
{
    private const string TraceParentHeader = "traceparent";

    /// <summary>One schedule per attempt, so a retry is a new schedule and a repeated request for the same attempt is stored once.</summary>
    public static string ScheduleId(Guid taskId, int attempt) => $"task-{taskId}-attempt-{attempt}";

    public static OutboxMessage Enqueue(Guid taskId, string name, JsonElement? payload, int attempt, DateTimeOffset? dueAt, string? traceParent, DateTimeOffset now)
    {
        var workItem = MessageJson.Serialize(new TaskWorkItem(taskId, name, payload, attempt));
        if (dueAt is null)
        {
            return new OutboxMessage { Topic = KafkaTopics.TaskWork, Key = MessageKeys.For(taskId), Value = workItem, TraceParent = traceParent, CreatedAt = now };
        }

        var scheduleId = ScheduleId(taskId, attempt);
        // The released work item carries the trace of the operation that scheduled it.
        IReadOnlyList<ScheduledHeader> headers = traceParent is null ? [] : [new ScheduledHeader(TraceParentHeader, Encoding.UTF8.GetBytes(traceParent))];
        var request = new ScheduleRequest(scheduleId, dueAt.Value, KafkaTopics.TaskWork, MessageKeys.For(taskId), workItem, headers);
        return new OutboxMessage
        {
            Topic = KafkaTopics.SchedulerRequests,
            Key = Encoding.UTF8.GetBytes(scheduleId),
            Value = MessageJson.Serialize(request),
            TraceParent = traceParent,
            CreatedAt = now,
        };
    }

    public static OutboxMessage CancelSchedule(Guid taskId, int attempt, string? traceParent, DateTimeOffset now)
    {
        var scheduleId = ScheduleId(taskId, attempt);
        return new OutboxMessage
        {
            Topic = KafkaTopics.SchedulerCancels,
            Key = Encoding.UTF8.GetBytes(scheduleId),
            Value = MessageJson.Serialize(new ScheduleCancel(scheduleId)),
            TraceParent = traceParent,
            CreatedAt = now,
        };
    }
}
