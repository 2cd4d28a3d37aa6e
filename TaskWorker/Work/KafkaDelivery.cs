using System.Diagnostics;
using Confluent.Kafka;

namespace TaskWorker.Work;

internal static class KafkaDelivery
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="produce"/> until Kafka acknowledges the record or <paramref name="cancellationToken"/> fires.</summary>
    /// <remarks>
    /// The producer itself retries transient errors for message.timeout.ms, so a failure that reaches here is an
    /// outage. Giving up would lose a status event or a dead letter while the work record gets committed; waiting
    /// keeps the run's slot and its offset open instead, which also stops the worker taking work it could not report.
    /// </remarks>
    public static async Task UntilDeliveredAsync(
        Func<CancellationToken, Task> produce, string topic, ILogger logger, CancellationToken cancellationToken)
    {
        for (var retryDelay = FirstRetryDelay; ; retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks)))
        {
            try
            {
                await produce(cancellationToken);
                return;
            }
            catch (KafkaException e)
            {
                Activity.Current?.AddException(e);
                logger.ProduceFailed(e, topic, e.Error.Code, retryDelay);
            }
            await Task.Delay(retryDelay, cancellationToken);
        }
    }
}
