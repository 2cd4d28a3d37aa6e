using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Tasks.Shared;
using TaskWorker.Messaging;

namespace TaskWorker.Work;

/// <summary>Consumes tasks.work and runs every task concurrently, up to <see cref="WorkerOptions.MaxInFlight"/> at once.</summary>
internal sealed class TaskWorkConsumer(
    [FromKeyedServices(TaskWorkConsumer.ServiceKey)] ConsumerConfig consumerConfig,
    WorkItemHandler handler,
    DeadLetters deadLetters,
    IOptions<WorkerOptions> options,
    ILogger<TaskWorkConsumer> logger)
    : ConcurrentConsumer(KafkaTopics.TaskWork, KafkaTopics.TaskWorkDeadLetter, consumerConfig, handler, deadLetters,
        new ConcurrencyLimits(options.Value.MaxInFlight, options.Value.ShutdownGrace), logger)
{
    /// <summary>Key of the consumer's settings (<c>Aspire:Confluent:Kafka:Consumer:taskworker</c>) and resolved config.</summary>
    public const string ServiceKey = "taskworker";
    public const string GroupId = "taskworker";
}
