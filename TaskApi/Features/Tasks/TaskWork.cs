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
    /// <summary>One schedule per attempt, so a retry is a new schedule and a repeated request for the same attempt is stored once.</summary>
    public static string ScheduleId(Guid taskId, int attempt) => $"task-{taskId}-attempt-{attempt}";

    public static OutboxMessage Enqueue(Guid taskId, string name, JsonElement? payload, int attempt, DateTimeOffset? dueAt, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.DeliverAt(KafkaTopics.TaskWork, MessageKeys.For(taskId), MessageJson.Serialize(new TaskWorkItem(taskId, name, payload, attempt)),
            dueAt, ScheduleId(taskId, attempt), traceParent, now);

    public static OutboxMessage CancelSchedule(Guid taskId, int attempt, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.CancelSchedule(ScheduleId(taskId, attempt), traceParent, now);
}
