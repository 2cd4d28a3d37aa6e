using Confluent.Kafka;

namespace TaskWorker.Messaging;

/// <summary>Publishes what a handler reports (status events, outcomes) so that it continues the record's trace.</summary>
internal sealed class TracedPublisher(IProducer<byte[]?, byte[]> producer, ILogger<TracedPublisher> logger)
{
    /// <summary>
    /// Publishes under a producer span, a child of the current (consumer) span, whose context the record carries, and
    /// returns once Kafka has it.
    /// </summary>
    public async Task PublishAsync(string topic, byte[] key, byte[] value, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        using var activity = KafkaTracing.StartPublish(topic, headers);
        var message = new Message<byte[]?, byte[]> { Key = key, Value = value, Headers = headers };
        await KafkaDelivery.UntilDeliveredAsync(
            token => producer.ProduceAsync(topic, message, token), topic, logger, cancellationToken);
    }
}
