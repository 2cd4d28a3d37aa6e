using Tasks.Shared;
using TaskWorker.Messaging;

namespace TaskWorker.Work;

/// <summary>Reports task status changes on tasks.status, keyed by task id so one task's events stay in order.</summary>
internal sealed class TaskStatusPublisher(TracedPublisher publisher, TimeProvider time)
{
    public Task PublishAsync(TaskWorkItem item, TaskRunStatus status, string? error, CancellationToken cancellationToken) =>
        publisher.PublishAsync(
            KafkaTopics.TaskStatus,
            MessageKeys.For(item.TaskId),
            MessageJson.Serialize(new TaskStatusChanged(item.TaskId, status, time.GetUtcNow(), error, item.Attempt)),
            cancellationToken);
}
