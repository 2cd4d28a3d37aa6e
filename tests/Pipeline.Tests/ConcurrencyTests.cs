using System.Diagnostics;

namespace Pipeline.Tests;

public sealed class ConcurrencyTests : IAsyncLifetime
{
    private const int TaskCount = 200;
    private RunningPipeline _pipeline = null!;

    // The real emulated work: 5 to 10 seconds per task.
    public async Task InitializeAsync() =>
        _pipeline = await RunningPipeline.StartAsync(new WorkerSettings(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), FailureProbability: 0.2));

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    [Fact]
    public async Task TwoHundredTasks_OfFiveToTenSecondsEach_AllFinishFarSoonerThanOneAfterAnother()
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, TaskCount).Select(i => _pipeline.CreateTaskAsync($"concurrent {i}")));

        // One after another they would take at least 200 × 5 s = 1,000 s; together, about the longest one.
        await _pipeline.WaitAllTerminalAsync(TaskCount, TimeSpan.FromSeconds(60));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        var counts = await _pipeline.CountByStatusAsync();
        Assert.True(counts.GetValueOrDefault("error") > 0, "with a failure probability of 0.2, some of 200 tasks fail");
    }
}
