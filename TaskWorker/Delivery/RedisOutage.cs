using StackExchange.Redis;
using TaskWorker.Messaging;

namespace TaskWorker.Delivery;

/// <summary>Redis calls waited through an outage, as Kafka deliveries are: a record is never settled on a guess.</summary>
internal static class RedisOutage
{
    public static Task<T> RetriedAsync<T>(Func<Task<T>> call, string what, ILogger logger, CancellationToken cancellationToken) =>
        Persistently.RunAsync(
            _ => call(),
            e => e is RedisConnectionException or RedisTimeoutException,
            (e, retryDelay) => logger.RedisFailed(e, what, retryDelay),
            cancellationToken);
}
