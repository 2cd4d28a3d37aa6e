using Confluent.Kafka;
using Tasks.Shared;

namespace TaskWorker.Work;

/// <summary>Reports task status changes on tasks.status, keyed by task id so one task's events stay in order.</summary>
internal sealed class TaskStatusPublisher(IProducer<byte[]?, byte[]> producer, TimeProvider time, ILogger<TaskStatusPublisher> logger)
{
    /// <summary>Publishes under a producer span, a child of the current (consumer) span, whose context the event carries.</summary>
    public async Task PublishAsync(TaskWorkItem item, TaskRunStatus status, string? error, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        using var activity = KafkaTracing.StartPublish(KafkaTopics.TaskStatus, headers);
        var message = new Message<byte[]?, byte[]>
        {
            Key = MessageKeys.For(item.TaskId),
            Value = MessageJson.Serialize(new TaskStatusChanged(item.TaskId, status, time.GetUtcNow(), error, item.Attempt)),
            Headers = headers,
        };
        await KafkaDelivery.UntilDeliveredAsync(
            token => producer.ProduceAsync(KafkaTopics.TaskStatus, message, token), KafkaTopics.TaskStatus, logger, cancellationToken);
    }
}
