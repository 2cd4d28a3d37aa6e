using Confluent.Kafka;
using Tasks.Shared;

namespace Scheduler.Intake;

/// <summary>
/// What both intake topics share: each message of a batch is read and handled concurrently (one Redis round trip
/// per message, pipelined); messages that cannot be read go to <c>scheduler.dlq</c> with the reason, so a bad
/// message never blocks its partition. A Redis failure throws, and <see cref="BatchConsumer"/> retries the batch:
/// the store's scripts are idempotent, so handling a message twice changes nothing.
/// </summary>
public abstract partial class ScheduleMessageConsumer<TMessage>(
    IConsumer<byte[]?, byte[]> consumer,
    IProducer<byte[]?, byte[]> producer,
    SchedulerMetrics metrics,
    ILogger logger) : BatchConsumer(consumer, logger) where TMessage : class
{
    private readonly ILogger _logger = logger;

    protected abstract ReadResult<TMessage> Read(byte[]? value);

    protected abstract Task HandleAsync(TMessage message);

    protected sealed override async Task HandleBatchAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var errors = await Task.WhenAll(batch.Select(HandleOneAsync));
        var rejected = batch.Zip(errors).Where(pair => pair.Second is not null).ToList();
        await Task.WhenAll(rejected.Select(pair =>
            producer.DeadLetterAsync(KafkaTopics.SchedulerDeadLetter, pair.First, pair.Second!, cancellationToken)));
        foreach (var (message, reason) in rejected)
        {
            metrics.DeadLettered();
            LogRejected(_logger, message.TopicPartitionOffset.ToString(), reason!);
        }
    }

    /// <summary>Handles one message; returns why it was rejected, or null.</summary>
    private async Task<string?> HandleOneAsync(ConsumeResult<byte[]?, byte[]> message)
    {
        using var activity = KafkaTracing.StartProcess(message);
        var read = Read(message.Message.Value);
        if (read.Error is not null)
        {
            return read.Error;
        }
        await HandleAsync(read.Message!);
        return null;
    }

    [LoggerMessage(LogLevel.Warning, "Scheduler message at {Position} dead-lettered: {Reason}")]
    private static partial void LogRejected(ILogger logger, string position, string reason);
}
