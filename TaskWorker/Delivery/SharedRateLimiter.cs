using RedisRateLimiting;
using StackExchange.Redis;

namespace TaskWorker.Delivery;

/// <summary>
/// One provider's calls per second over every TaskWorker instance (<c>Sms:MaxPerSecond</c>, <c>Smtp:MaxPerSecond</c>):
/// RedisRateLimiting's sliding window, a Redis sorted set of the calls of the last second (key <c>rl:sw:{name}</c>:
/// <c>rl:sw:{sms-gateway}</c>, <c>rl:sw:{smtp-server}</c>) that one Lua script trims, counts and adds to. Within any second at most MaxPerSecond permits are granted, all of them at once if they are asked for at
/// once (the limiter's only burst). Its clock is each instance's own, so the instances' clocks must agree (NTP).
/// </summary>
/// <remarks>
/// The library never waits (a refused acquire returns at once, and its sliding window gives no retry-after), so a
/// refused caller looks again shortly. One caller per instance asks Redis at a time: a thousand waiting records cost
/// one poll, not a thousand, and an instance can take a few thousand permits a second that way. Express callers take
/// that turn before any other caller waiting in the instance (<see cref="PriorityTurn"/>).
/// </remarks>
internal sealed class SharedRateLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    // A permit frees when the oldest call in the window ages out, at a moment the script does not tell. Looking again
    // within 10 ms loses at most 1 % of the window, for at most 100 script calls a second per instance at the limit.
    private static readonly TimeSpan LongestRecheck = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ShortestRecheck = TimeSpan.FromMilliseconds(1);

    private readonly RedisSlidingWindowRateLimiter<string>? _limiter;
    private readonly PriorityTurn _turn = new();
    private readonly TimeSpan _recheck;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedRateLimiter> _logger;

    /// <param name="name">The provider the limit protects, which names its window in Redis.</param>
    /// <param name="maxPerSecond">Most calls within any second; 0: no limit.</param>
    public SharedRateLimiter(string name, int maxPerSecond, IConnectionMultiplexer redis, TimeProvider time, ILogger<SharedRateLimiter> logger)
    {
        _time = time;
        _logger = logger;
        _recheck = maxPerSecond == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Clamp(Window.Ticks / maxPerSecond, ShortestRecheck.Ticks, LongestRecheck.Ticks));
        _limiter = maxPerSecond == 0 ? null : new RedisSlidingWindowRateLimiter<string>(name, new RedisSlidingWindowRateLimiterOptions
        {
            PermitLimit = maxPerSecond,
            Window = Window,
            ConnectionMultiplexerFactory = () => redis,
        });
    }

    /// <summary>False when the limit is 0: every call may go at once.</summary>
    public bool IsLimiting => _limiter is not null;

    /// <summary>
    /// Returns once a call of the provider is permitted (at once when not <see cref="IsLimiting"/>). An
    /// <paramref name="express"/> caller is served before every other caller waiting in this instance: while one waits,
    /// the others neither take the turn nor keep it between their looks at Redis.
    /// </summary>
    public async Task WaitForPermitAsync(bool express, CancellationToken cancellationToken)
    {
        if (_limiter is null)
        {
            return;
        }
        await _turn.TakeAsync(express, cancellationToken);
        var holding = true;
        try
        {
            while (true)
            {
                if (!express && _turn.YieldToExpress(cancellationToken) is { } turnBack)
                {
                    holding = false;
                    await turnBack;
                    holding = true;
                }
                using var lease = await RedisOutage.RetriedAsync(
                    () => _limiter.AcquireAsync(1, cancellationToken).AsTask(), "acquiring a rate-limit permit", _logger, cancellationToken);
                if (lease.IsAcquired)
                {
                    return;
                }
                await Task.Delay(_recheck, _time, cancellationToken);
            }
        }
        finally
        {
            if (holding)
            {
                _turn.Release();
            }
        }
    }

    public void Dispose() => _limiter?.Dispose();
}
