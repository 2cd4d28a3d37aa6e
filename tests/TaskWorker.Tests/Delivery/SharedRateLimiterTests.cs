using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Tasks.Testing;
using TaskWorker.Delivery;

namespace TaskWorker.Tests.Delivery;

public sealed class SharedRateLimiterTests
{
    private const int MaxPerSecond = 5;

    [Fact]
    public async Task WaitForPermitAsync_ExpressCallerBehindWaitingCallers_GetsTheNextPermitBeforeThem()
    {
        using var redis = RedisServer.Start();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        using var limiter = new SharedRateLimiter(
            $"test-{Guid.NewGuid():N}", MaxPerSecond, connection, TimeProvider.System, NullLogger<SharedRateLimiter>.Instance);
        using var stop = new CancellationTokenSource();
        var permitted = 0;
        var waiting = Enumerable.Range(0, 3 * MaxPerSecond).Select(async _ =>
        {
            await limiter.WaitForPermitAsync(express: false, stop.Token);
            Interlocked.Increment(ref permitted);
        }).ToList();
        // The first window's permits go at once; the other callers wait for the window to move, two seconds' worth of them.
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref permitted) == MaxPerSecond), TimeSpan.FromSeconds(10), "the first window's permits");

        await limiter.WaitForPermitAsync(express: true, CancellationToken.None);

        var permittedFirst = Volatile.Read(ref permitted);
        await stop.CancelAsync();
        await Task.WhenAll(waiting.Select(run => run.ContinueWith(_ => { }, TaskScheduler.Default)));
        // The caller holding the turn may have been asking Redis as the express caller came, and taken that permit.
        Assert.InRange(permittedFirst, MaxPerSecond, MaxPerSecond + 1);
    }
}
