using Confluent.Kafka;

namespace TaskWorker.Messaging;

internal static class KafkaDelivery
{
    /// <summary>Runs <paramref name="produce"/> until Kafka acknowledges the record or <paramref name="cancellationToken"/> fires.</summary>
    /// <remarks>
    /// The producer itself retries transient errors for message.timeout.ms, so a failure that reaches here is an outage,
    /// waited out by <see cref="Persistently"/>.
    /// </remarks>
    public static Task UntilDeliveredAsync(
        Func<CancellationToken, Task> produce, string topic, ILogger logger, CancellationToken cancellationToken) =>
        Persistently.RunAsync(
            async token =>
            {
                await produce(token);
                return true;
            },
            e => e is KafkaException,
            (e, retryDelay) => logger.ProduceFailed(e, topic, ((KafkaException)e).Error.Code, retryDelay),
            cancellationToken);
}
