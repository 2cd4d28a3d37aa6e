using System.Diagnostics;
using System.Text.Json;
using Tasks.Shared;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>
/// Deferred tasks, cancellation and Redis data loss, with the Scheduler and a Redis server in the pipeline. The tests
/// share one pipeline: each waits for and reads tasks of its own.
/// </summary>
public sealed class SchedulingTests(SchedulingTests.SchedulingPipeline fixture) : IClassFixture<SchedulingTests.SchedulingPipeline>
{
    public sealed class SchedulingPipeline : IAsyncLifetime
    {
        public RunningPipeline Pipeline { get; private set; } = null!;

        public async Task InitializeAsync() => Pipeline = await RunningPipeline.StartAsync(WorkerSettings.Quick, withScheduler: true);

        public async Task DisposeAsync() => await Pipeline.DisposeAsync();
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly RunningPipeline _pipeline = fixture.Pipeline;

    [Fact]
    public async Task DeferredTask_RunsAtItsTimeAndNotBefore()
    {
        var id = await _pipeline.CreateTaskAsync(new { name = "in three seconds", delaySeconds = 3 });

        var task = await TerminalAsync(id);

        var scheduledFor = task.GetProperty("scheduledFor");
        var startedAt = task.GetProperty("startedAt").GetDateTimeOffset();
        var createdAt = task.GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(JsonValueKind.Null, scheduledFor.ValueKind); // no longer waiting
        Assert.True(startedAt >= createdAt.AddSeconds(3), $"started {startedAt:O}, created {createdAt:O}");
    }

    [Fact]
    public async Task CancelledBeforeItIsDue_StaysCancelledWithoutAStart()
    {
        // Due well after the cancel is through the outbox and the Scheduler, even on a loaded machine.
        var cancelled = await _pipeline.CreateTaskAsync(new { name = "cancelled", delaySeconds = 5 });
        var sentinel = await _pipeline.CreateTaskAsync(new { name = "due just after", delaySeconds = 6 });
        using var client = _pipeline.CreateApiClient();
        (await client.DeleteAsync($"/tasks/{cancelled}")).EnsureSuccessStatusCode();

        await TerminalAsync(sentinel);

        var task = await _pipeline.GetTaskAsync(cancelled);
        Assert.Equal("cancelled", task.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("startedAt").ValueKind);
        // A released run would change nothing above (a cancelled task stays cancelled): what proves the cancel is that
        // the Scheduler released the sentinel, due a second later, and never the cancelled task.
        var released = (await PipelineKafka.ReadAllAsync<TaskWorkItem>(_pipeline.Kafka.BootstrapServers, KafkaTopics.TaskWork, Timeout)).Select(item => item.TaskId).ToList();
        Assert.Contains(sentinel, released);
        Assert.DoesNotContain(cancelled, released);
    }

    [Fact]
    public async Task RedisLosesItsData_PendingSchedulesAreRestoredAndRun()
    {
        // Empty, as a fresh pipeline's: what the Scheduler stores below is then these tasks' schedules, not another test's
        // released or cancelled ids.
        _pipeline.Redis!.FlushAll();
        var ids = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => _pipeline.CreateTaskAsync(new { name = $"deferred {i}", delaySeconds = 8 })));
        await Eventually.UntilAsync(async () => await KeyCountAsync() > 0, Timeout, "the Scheduler to store the schedules");

        _pipeline.Redis!.FlushAll();

        foreach (var id in ids)
        {
            await TerminalAsync(id);
        }
    }

    private async Task<int> KeyCountAsync()
    {
        var redisCli = Process.Start(new ProcessStartInfo("redis-cli", ["-p", _pipeline.Redis!.Port.ToString(), "DBSIZE"]) { RedirectStandardOutput = true })!;
        var output = await redisCli.StandardOutput.ReadToEndAsync();
        await redisCli.WaitForExitAsync();
        return int.Parse(output.Trim());
    }

    private Task<JsonElement> TerminalAsync(Guid id) => _pipeline.WaitTerminalAsync(id, Timeout);
}

/// <summary>Retries with every run failing; the tests share one pipeline and each works on tasks of its own.</summary>
public sealed class RetryTests(RetryTests.FailingPipeline fixture) : IClassFixture<RetryTests.FailingPipeline>
{
    /// <summary>Every run fails, so a task uses up all its attempts.</summary>
    public sealed class FailingPipeline : IAsyncLifetime
    {
        public RunningPipeline Pipeline { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Pipeline = await RunningPipeline.StartAsync(WorkerSettings.Quick with { FailureProbability = 1 }, withScheduler: true);

        public async Task DisposeAsync() => await Pipeline.DisposeAsync();
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly RunningPipeline _pipeline = fixture.Pipeline;

    [Fact]
    public async Task FailingTask_IsRetriedWithBackoffUntilItsAttemptsAreUsedUp()
    {
        var id = await _pipeline.CreateTaskAsync(new { name = "always fails", maxAttempts = 3 });

        var json = await FailedAsync(id, attempts: 3);

        Assert.Equal("Emulated failure", json.GetProperty("error").GetString());
        // Two backoffs of at least 0.5 × 0.5 s and 0.5 × 1 s lie between the first start and the end.
        var elapsed = json.GetProperty("finishedAt").GetDateTimeOffset() - json.GetProperty("startedAt").GetDateTimeOffset();
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(750), $"took {elapsed}");
    }

    [Fact]
    public async Task FailedTask_RetriedByAnOperator_RunsAgainAndItsNewStatusArrives()
    {
        var id = await _pipeline.CreateTaskAsync(new { name = "fails, retried by hand" });
        var failed = await FailedAsync(id, attempts: 1);
        using var client = _pipeline.CreateApiClient();

        (await client.PostAsync($"/tasks/{id}/retry", null)).EnsureSuccessStatusCode();

        // The worker's report of the second run, through the Scheduler and tasks.work, ends the task again.
        var again = await FailedAsync(id, attempts: 2);
        Assert.True(again.GetProperty("finishedAt").GetDateTimeOffset() > failed.GetProperty("finishedAt").GetDateTimeOffset());
        var runs = (await PipelineKafka.ReadAllAsync<TaskWorkItem>(_pipeline.Kafka.BootstrapServers, KafkaTopics.TaskWork, Timeout))
            .Where(item => item.TaskId == id).Select(item => item.Attempt).Order();
        Assert.Equal([1, 2], runs);
    }

    private async Task<JsonElement> FailedAsync(Guid id, int attempts) =>
        (JsonElement)await Eventually.GetAsync(async () =>
        {
            var current = await _pipeline.GetTaskAsync(id);
            return current.GetProperty("status").GetString() == "error" && current.GetProperty("attempts").GetInt32() == attempts ? (object)current : null;
        }, Timeout, $"task {id} to fail at attempt {attempts}");
}
