namespace TaskApi.Infrastructure.Outbox;

/// <summary>
/// Whether a delivery channel (tasks, SMS, email) has gone silent: its progress, as read from PostgreSQL each reconciler
/// pass (counts that every applied report moves), unchanged for <c>bound</c>. Work waiting in a long Kafka queue behind a
/// rate limit is not silent, since the channel moves; work whose records Kafka lost is, once nothing else moves. A
/// dispatch again restarts the clock, so a silent channel's work is dispatched again at most once per <c>bound</c>.
/// Kept in memory: a TaskApi that starts again watches for a whole <c>bound</c> before it dispatches anything again.
/// </summary>
public sealed class ChannelSilence<TProgress>(TimeSpan bound)
    where TProgress : IEquatable<TProgress>
{
    private TProgress? _progress;
    private DateTimeOffset _unchangedSince = DateTimeOffset.MaxValue;

    /// <summary>Records <paramref name="progress"/> and says whether it has not changed for the bound.</summary>
    public bool IsSilent(TProgress progress, DateTimeOffset now)
    {
        if (_unchangedSince == DateTimeOffset.MaxValue || !progress.Equals(_progress))
        {
            _progress = progress;
            _unchangedSince = now;
            return false;
        }
        return now - _unchangedSince >= bound;
    }

    /// <summary>The silent work was dispatched again: the next time is a whole bound away.</summary>
    public void Redispatched(DateTimeOffset now) => _unchangedSince = now;
}
