using System.Diagnostics;

namespace TaskWorker.Messaging;

/// <summary>Retries an operation on infrastructure (Kafka, Redis) through an outage, with backoff, until it succeeds.</summary>
internal static class Persistently
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="operation"/> until it returns or <paramref name="cancellationToken"/> fires, retrying the
    /// failures <paramref name="isOutage"/> accepts (after <paramref name="logRetry"/> is told the exception and the delay);
    /// any other failure propagates.
    /// </summary>
    /// <remarks>
    /// Giving up would lose a report or a dead letter while the record gets committed; waiting keeps the run's slot and
    /// its offset open instead, which also stops the worker taking records it could not finish.
    /// </remarks>
    public static async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> operation,
        Func<Exception, bool> isOutage,
        Action<Exception, TimeSpan> logRetry,
        CancellationToken cancellationToken)
    {
        for (var retryDelay = FirstRetryDelay; ; retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks)))
        {
            try
            {
                return await operation(cancellationToken);
            }
            catch (Exception e) when (isOutage(e))
            {
                Activity.Current?.AddException(e);
                logRetry(e, retryDelay);
            }
            await Task.Delay(retryDelay, cancellationToken);
        }
    }
}
