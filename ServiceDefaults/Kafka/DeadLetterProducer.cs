using Confluent.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Dead-letters records through the process's producer, within what that producer accepts (its message.max.bytes): a
/// record near or over the limit goes as a truncated copy (<see cref="DeadLetterExtensions.DeadLetterOf"/>).
/// </summary>
public sealed class DeadLetterProducer(IProducer<byte[]?, byte[]> producer, ProducerConfig config)
{
    private readonly int _maxMessageBytes = config.MessageMaxBytes ?? DeadLetterExtensions.DefaultMaxMessageBytes;

    /// <summary>Publishes the dead letter and waits until Kafka has it; a Kafka failure throws (an outage: the caller retries).</summary>
    public Task PublishAsync(string deadLetterTopic, ConsumeResult<byte[]?, byte[]> rejected, string reason, CancellationToken cancellationToken) =>
        producer.DeadLetterAsync(deadLetterTopic, rejected, reason, _maxMessageBytes, cancellationToken);
}
