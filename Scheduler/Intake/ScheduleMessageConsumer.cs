using Confluent.Kafka;
using StackExchange.Redis;
using Tasks.Shared;

namespace Scheduler.Intake;

/// <summary>
/// What both intake topics share: each message of a batch is read and handled concurrently (one Redis round trip
/// per message, pipelined); messages that cannot be read go to <c>scheduler.dlq</c> with the reason, so a bad
/// message never blocks its partition. A Redis failure is an outage: <see cref="BatchConsumer"/> retries the batch, and
/// the store's scripts are idempotent, so handling a message twice changes nothing.
/// </summary>
public abstract class ScheduleMessageConsumer<TMessage>(
    IConsumer<byte[]?, byte[]> consumer,
    DeadLetterProducer deadLetters,
    SchedulerMetrics metrics,
    ILogger logger) : BatchConsumer(consumer, deadLetters, logger) where TMessage : class
{
    protected override string DeadLetterTopic => KafkaTopics.SchedulerDeadLetter;

    protected override void CountDeadLettered() => metrics.DeadLettered();

    // Every Redis error is taken for an outage (a server loading, read-only or out of memory included): the scripts
    // are ours, so a Redis error is never caused by a record.
    protected override bool IsOutage(Exception exception) =>
        base.IsOutage(exception) || Outages.Chain(exception).Any(e => e is RedisException);

    protected abstract ReadResult<TMessage> Read(byte[]? value);

    protected abstract Task HandleAsync(TMessage message);

    protected sealed override async Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(
        IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var errors = await Task.WhenAll(batch.Select(HandleOneAsync));
        return batch.Zip(errors).Where(pair => pair.Second is not null).Select(pair => new RejectedRecord(pair.First, pair.Second!)).ToList();
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
}
