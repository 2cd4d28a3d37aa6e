using System.Diagnostics.CodeAnalysis;
using Confluent.Kafka;
using TaskWorker.Work;

namespace TaskWorker.Messaging;

/// <summary>Reads a record's value as a <typeparamref name="T"/>, or says why it cannot be handled.</summary>
internal delegate bool RecordReader<T>(Message<byte[]?, byte[]> message, [NotNullWhen(true)] out T? item, [NotNullWhen(false)] out string? rejection)
    where T : class;

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

    /// <summary>The record read by <paramref name="read"/>; or null once it went to <paramref name="deadLetterTopic"/> with the reason.</summary>
    public async Task<T?> ReadOrDeadLetterAsync<T>(
        string deadLetterTopic, ConsumeResult<byte[]?, byte[]> record, RecordReader<T> read, CancellationToken cancellationToken) where T : class
    {
        if (read(record.Message, out var item, out var rejection))
        {
            return item;
        }
        await PublishAsync(deadLetterTopic, record, rejection, cancellationToken);
        return null;
    }
}
