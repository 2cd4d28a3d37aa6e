using System.Diagnostics;
using Confluent.Kafka;
using Tasks.Shared;

namespace TaskApi.Features.DeadLetters.Storing;

/// <summary>
/// Reads every dead-letter topic (<see cref="KafkaTopics.DeadLetterTopics"/>) in one consumer group and stores each record
/// (<see cref="DeadLetterStore"/>); offsets are stored only once the batch's insert has committed. It is the last stop of a
/// rejected record, so nothing it reads is dead-lettered again: a failure to store is waited out and retried, whatever it
/// is, holding the partition (the store is built so that no record's content can fail it).
/// </summary>
public sealed partial class DeadLetterConsumer(
    [FromKeyedServices(DeadLetterConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    DeadLetterStore store,
    DeadLetterProducer deadLetters,
    ILogger<DeadLetterConsumer> logger) : BatchConsumer(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "dead-letters";
    public const string ConsumerGroup = "taskapi-dead-letters";

    private const string NoFurtherDeadLetters = "The dead letters' consumer retries every failure; it dead-letters nothing.";

    /// <summary>How its logs name what it reads.</summary>
    protected override string Topic => "*.dlq";

    protected override IReadOnlyList<string> Topics => KafkaTopics.DeadLetterTopics;

    protected override string DeadLetterTopic => throw new UnreachableException(NoFurtherDeadLetters);

    protected override void CountDeadLettered() => throw new UnreachableException(NoFurtherDeadLetters);

    /// <summary>Every failure is waited out: a dead letter has no further place to go, and must not be lost.</summary>
    protected override bool IsOutage(Exception exception) => true;

    protected override async Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(
        IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var stored = await store.StoreAsync(batch, cancellationToken);
        LogStored(stored, batch.Count - stored);
        return [];
    }

    [LoggerMessage(LogLevel.Information, "Stored {Count} dead letters ({AlreadyStored} read again were stored before)")]
    private partial void LogStored(int count, int alreadyStored);
}
