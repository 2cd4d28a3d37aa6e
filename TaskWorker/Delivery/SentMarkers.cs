using StackExchange.Redis;

namespace TaskWorker.Delivery;

/// <summary>
/// A Redis key per message a channel's provider accepted (<c>{channel}:sent:{id}</c>: <c>sms:sent:42</c>,
/// <c>email:sent:42</c>), shared by every worker instance, so that a redelivered or replayed send record is reported as
/// sent again instead of reaching the provider twice.
/// </summary>
internal sealed class SentMarkers(string channel, IConnectionMultiplexer redis, TimeProvider time, ILogger<SentMarkers> logger)
{
    /// <summary>
    /// How long a marker is kept: well past any redelivery (a rebalance, a restart) and outbox or Scheduler replay, which
    /// come within minutes to hours; a copy of a record older than this would be sent again.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public RedisKey KeyOf(long messageId) => $"{channel}:sent:{messageId}";

    public Task<bool> IsSentAsync(long messageId, CancellationToken cancellationToken) =>
        RedisOutage.RetriedAsync(() => redis.GetDatabase().KeyExistsAsync(KeyOf(messageId)), "reading a sent marker", logger, cancellationToken);

    /// <summary>Marks the message sent (the first marker stays, with the time of the first acceptance).</summary>
    public Task MarkSentAsync(long messageId, CancellationToken cancellationToken) =>
        RedisOutage.RetriedAsync(
            () => redis.GetDatabase().StringSetAsync(KeyOf(messageId), time.GetUtcNow().ToString("O"), Retention, When.NotExists),
            "writing a sent marker", logger, cancellationToken);
}
