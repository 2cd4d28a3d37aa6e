using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TaskApi.Features.Overview;
using TaskApi.Features.Overview.GetOverview;
using TaskApi.Infrastructure;
using TaskApi.Model;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Overview;

/// <summary>
/// GET /overview's shared counts over the class's own database: each test reads through a <see cref="StatusCounts"/> of its
/// own on a fake clock and compares with what it added, so the tests do not depend on each other's rows.
/// </summary>
public sealed class StatusCountsTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task ReadAsync_WithinTheMaxAge_SharesTheReadThenCountsWhatChangedSince()
    {
        var counts = Counts(MaxAge);
        var first = await counts.ReadAsync(CancellationToken.None);
        await AddTaskAsync(TaskItemStatus.Success);

        _clock.Advance(MaxAge / 2 - TimeSpan.FromMilliseconds(1));
        var shared = await counts.ReadAsync(CancellationToken.None);
        _clock.Advance(MaxAge / 2 + TimeSpan.FromMilliseconds(1));
        var next = await counts.ReadAsync(CancellationToken.None);

        Assert.Same(first, shared);
        Assert.Equal(Successes(first) + 1, Successes(next));
        Assert.Equal(_clock.GetUtcNow(), next.At);
    }

    [Fact]
    public async Task ReadAsync_PastHalfTheMaxAge_AnswersWithTheSharedReadAndStartsTheNext()
    {
        var counts = Counts(MaxAge);
        var first = await counts.ReadAsync(CancellationToken.None);
        await AddTaskAsync(TaskItemStatus.Success);
        _clock.Advance(MaxAge / 2);
        var refreshStarted = _clock.GetUtcNow();

        var answered = await counts.ReadAsync(CancellationToken.None);
        // The next read, started by the call above, answers once it has ended: still within the first's age.
        var refreshed = await Eventually.GetAsync(async () => await counts.ReadAsync(CancellationToken.None) is { } read && read != first ? read : null,
            TimeSpan.FromSeconds(30), "the next read to answer");

        Assert.Same(first, answered);
        Assert.Equal(refreshStarted, refreshed.At);
        Assert.Equal(Successes(first) + 1, Successes(refreshed));
    }

    [Fact]
    public async Task ReadAsync_MaxAgeZero_CountsEveryChangeCommittedBefore()
    {
        var counts = Counts(TimeSpan.Zero);
        var before = await counts.ReadAsync(CancellationToken.None);
        await AddTaskAsync(TaskItemStatus.Success);

        var after = await counts.ReadAsync(CancellationToken.None);

        Assert.Equal(Successes(before) + 1, Successes(after));
    }

    [Fact]
    public async Task ReadAsync_ConcurrentCallers_ShareOneRead()
    {
        var counts = Counts(MaxAge);

        var reads = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => counts.ReadAsync(CancellationToken.None)));

        Assert.All(reads, read => Assert.Same(reads[0], read));
    }

    [Fact]
    public async Task ReadAsync_ACallerGivesUp_TheOthersStillShareTheReadItStarted()
    {
        var counts = Counts(MaxAge);
        var started = _clock.GetUtcNow();

        // Given up before it could end: had the read taken this caller's token, it would end cancelled and the next
        // caller would start a read of its own, a millisecond later.
        _ = counts.ReadAsync(new CancellationToken(canceled: true));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var other = await counts.ReadAsync(CancellationToken.None);

        Assert.Equal(started, other.At);
    }

    private StatusCounts Counts(TimeSpan maxAge) =>
        new(api.Services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new OverviewOptions { CountsMaxAge = maxAge }), _clock);

    private Task AddTaskAsync(TaskItemStatus status) => api.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""
        INSERT INTO tasks (id, name, status, created_at, finished_at, attempts, max_attempts)
        VALUES (gen_random_uuid(), 'counted', {0}, now(), now(), 1, 1)
        """, StatusNames<TaskItemStatus>.Of(status)));

    private static long Successes(StatusCountsRead read) => read.Tasks.GetValueOrDefault(TaskItemStatus.Success);
}
