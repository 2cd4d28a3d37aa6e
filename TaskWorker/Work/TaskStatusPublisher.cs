using Confluent.Kafka;
using Tasks.Shared;

namespace TaskWorker.Work;

/// <summary>Reports task status changes on tasks.status, keyed by task id so one task's events stay in order.</summary>
internal sealed class TaskStatusPublisher(IProducer<byte[]?, byte[]> producer, TimeProvider time, ILogger<TaskStatusPublisher> logger)
{
    /// <summary>Publishes under a producer span, a child of the current (consumer) span, whose context the event carries.</summary>
    public async Task PublishAsync(Guid taskId, TaskRunStatus status, string? error, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        using var activity = KafkaTracing.StartPublish(KafkaTopics.TaskStatus, headers);
        var message = new Message<byte[]?, byte[]>
        {
            Key = MessageKeys.For(taskId),
            Value = MessageJson.Serialize(new TaskStatusChanged(taskId, status, time.GetUtcNow(), error)),
            Headers = headers,
        };
        await KafkaDelivery.UntilDeliveredAsync(
            token => producer.ProduceAsync(KafkaTopics.TaskStatus, message, token), KafkaTopics.TaskStatus, logger, cancellationToken);
    }
}
