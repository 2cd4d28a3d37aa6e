using Confluent.Kafka;
using TaskWorker.Work;

namespace TaskWorker.Messaging;

/// <summary>
/// Moves a record that cannot be read to its dead-letter topic with the reason, so nothing is dropped silently and the
/// partition behind it keeps moving.
/// </summary>
internal sealed class DeadLetters(IProducer<byte[]?, byte[]> producer, WorkerMetrics metrics, ILogger<DeadLetters> logger)
{
    public async Task PublishAsync(string deadLetterTopic, ConsumeResult<byte[]?, byte[]> record, string reason, CancellationToken cancellationToken)
    {
        await KafkaDelivery.UntilDeliveredAsync(
            token => producer.DeadLetterAsync(deadLetterTopic, record, reason, token), deadLetterTopic, logger, cancellationToken);
        logger.RecordDeadLettered(record.Position(), reason);
        metrics.DeadLettered(deadLetterTopic);
    }
}
