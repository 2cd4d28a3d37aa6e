using Confluent.Kafka;
using TaskWorker.Work;

namespace TaskWorker.Messaging;

/// <summary>
/// Moves a record that cannot be read, or whose handling failed in a way a repeat would not change, to its dead-letter
/// topic with the reason, so nothing is dropped silently and the partition behind it keeps moving. A record too large
/// to copy goes as a truncated copy (<see cref="DeadLetterProducer"/>).
/// </summary>
internal sealed class DeadLetters(DeadLetterProducer producer, WorkerMetrics metrics, ILogger<DeadLetters> logger)
{
    public async Task PublishAsync(string deadLetterTopic, ConsumeResult<byte[]?, byte[]> record, string reason, CancellationToken cancellationToken)
    {
        await KafkaDelivery.UntilDeliveredAsync(
            token => producer.PublishAsync(deadLetterTopic, record, reason, token), deadLetterTopic, logger, cancellationToken);
        logger.RecordDeadLettered(record.Position(), reason);
        metrics.DeadLettered(deadLetterTopic);
    }
}
