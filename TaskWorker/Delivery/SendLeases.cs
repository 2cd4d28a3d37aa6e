using StackExchange.Redis;

namespace TaskWorker.Delivery;

/// <summary>What <see cref="SendLeases.SendOnceAsync{T}"/> came to: the call's answer, or that the message was sent already (no call).</summary>
internal readonly record struct Handover<T>(bool AlreadySent, T Answer);

/// <summary>
/// A lease per message in Redis (<c>{channel}:lease:{id}</c>, beside the sent marker: <c>sms:lease:42</c>), taken right
/// before a channel's provider is called and held until its answer is in and a success marked. Whoever holds it is the
/// only one handing that message over, across every worker instance: a partition's next owner after a rebalance, or a
/// second copy of the record (an outbox or Scheduler replay) in flight at once, waits for the holder's outcome instead
/// of calling too, and reports <c>sent</c> without a call when the marker appears.
/// </summary>
/// <remarks>
/// The lease lasts <see cref="Duration"/> and its holder renews it every third of that while it waits for a connection
/// and for the provider, so a call of any length stays covered, and a holder that died (a crash, a kill) frees the message
/// for the next owner within <see cref="Duration"/>. Its value names the attempt (process and a random part), so only
/// its holder can renew or release it (StackExchange.Redis' LockTake, LockExtend, LockRelease).
/// </remarks>
internal sealed class SendLeases(string channel, SentMarkers sentMarkers, IConnectionMultiplexer redis, TimeProvider time, ILogger<SendLeases> logger)
{
    /// <summary>How long a lease outlives its last renewal: how long the next owner waits for a holder that died.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RenewEvery = Duration / 3;

    // A waiter looks again soon (a holder's call takes milliseconds to seconds), then less often: thousands of records
    // waiting after a rebalance cost a few thousand Redis calls a second at most.
    private static readonly TimeSpan FirstRecheck = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestRecheck = TimeSpan.FromSeconds(1);

    public RedisKey KeyOf(long messageId) => $"{channel}:lease:{messageId}";

    /// <summary>
    /// Hands the message over through <paramref name="call"/> while holding its lease, unless it turns out sent already
    /// (before or while waiting for another holder); marks it sent when <paramref name="accepted"/> says the answer is a
    /// success, before letting go. <paramref name="call"/> should not be cancellable once it has reached the provider: a
    /// call cut off there leaves unknown whether the provider took the message.
    /// </summary>
    public async Task<Handover<T>> SendOnceAsync<T>(long messageId, Func<Task<T>> call, Func<T, bool> accepted, CancellationToken cancellationToken)
    {
        await using var lease = await AcquireAsync(messageId, cancellationToken);
        if (lease is null)
        {
            return new Handover<T>(AlreadySent: true, default!);
        }
        var answer = await call();
        if (accepted(answer))
        {
            // Before the release (a waiter must find the marker once the lease is gone) and before the report (once reported,
            // the record may be committed, and a replay must find it).
            await sentMarkers.MarkSentAsync(messageId, cancellationToken);
        }
        return new Handover<T>(AlreadySent: false, answer);
    }

    /// <summary>The message's lease, once free; null when the message was found sent meanwhile.</summary>
    private async Task<Lease?> AcquireAsync(long messageId, CancellationToken cancellationToken)
    {
        var key = KeyOf(messageId);
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var database = redis.GetDatabase();
        var recheck = FirstRecheck;
        while (true)
        {
            if (await RedisOutage.RetriedAsync(() => database.LockTakeAsync(key, owner, Duration), "taking a send lease", logger, cancellationToken))
            {
                var lease = new Lease(key, owner, database, time, logger);
                // A previous holder marks a success before it lets go, which may have been after the caller last looked.
                if (await IsSentAsync(lease))
                {
                    await lease.DisposeAsync();
                    return null;
                }
                return lease;
            }
            if (recheck == FirstRecheck)
            {
                logger.WaitingForSendLease(key.ToString());
            }
            if (await sentMarkers.IsSentAsync(messageId, cancellationToken))
            {
                return null;
            }
            await Task.Delay(recheck, time, cancellationToken);
            recheck = TimeSpan.FromTicks(Math.Min(recheck.Ticks * 2, LongestRecheck.Ticks));
        }

        async Task<bool> IsSentAsync(Lease lease)
        {
            try
            {
                return await sentMarkers.IsSentAsync(messageId, cancellationToken);
            }
            catch
            {
                await lease.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A held lease, renewed until disposed, then released.</summary>
    private sealed class Lease : IAsyncDisposable
    {
        private readonly RedisKey _key;
        private readonly string _owner;
        private readonly IDatabase _database;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _stopRenewing = new();
        private readonly Task _renewing;

        public Lease(RedisKey key, string owner, IDatabase database, TimeProvider time, ILogger logger)
        {
            _key = key;
            _owner = owner;
            _database = database;
            _logger = logger;
            _renewing = RenewAsync(time, _stopRenewing.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _stopRenewing.CancelAsync();
            await _renewing;
            _stopRenewing.Dispose();
            try
            {
                await _database.LockReleaseAsync(_key, _owner);
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
            {
                // Not retried: the lease expires within Duration anyway, and a waiter then finds the marker.
                _logger.SendLeaseNotReleased(e, _key.ToString());
            }
        }

        private async Task RenewAsync(TimeProvider time, CancellationToken stop)
        {
            using var timer = new PeriodicTimer(RenewEvery, time);
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    try
                    {
                        if (!await _database.LockExtendAsync(_key, _owner, Duration))
                        {
                            // Redis was out longer than Duration (or lost its data): another owner may hold it now. The call
                            // under way is not stopped (that would leave its outcome unknown); the marker still settles later copies.
                            _logger.SendLeaseLost(_key.ToString());
                            return;
                        }
                    }
                    catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
                    {
                        _logger.RedisFailed(e, "renewing a send lease", RenewEvery);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Disposed: the holder is done.
            }
        }
    }
}
