using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Tasks.StatusUpdates;
using TaskApi.Model;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Tasks.StatusUpdates;

/// <summary>Status events are produced as a worker would, all to partition 0 so a later "sentinel" event proves earlier ones were handled.</summary>
public sealed class TaskStatusConsumerTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TopicPartition Partition0 = new(KafkaTopics.TaskStatus, new Partition(0));
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly IProducer<byte[]?, byte[]> _producer = PipelineKafka.Producer(api.Kafka.BootstrapServers);

    [Fact]
    public async Task Consume_InProgressThenSuccess_MovesTaskForwardWithTimestamps()
    {
        var id = await CreateTaskAsync();

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.InProgress, T0, null));
        var started = await TaskInStatusAsync(id, TaskItemStatus.InProgress);
        Assert.Equal(T0, started.StartedAt);
        Assert.Null(started.FinishedAt);

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Success, T0.AddSeconds(7), null));
        var finished = await TaskInStatusAsync(id, TaskItemStatus.Success);
        Assert.Equal(T0, finished.StartedAt);
        Assert.Equal(T0.AddSeconds(7), finished.FinishedAt);
        Assert.Null(finished.Error);
    }

    [Fact]
    public async Task Consume_Error_StoresTheErrorText()
    {
        var id = await CreateTaskAsync();

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.InProgress, T0, null));
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Error, T0.AddSeconds(5), "disk full"));

        var failed = await TaskInStatusAsync(id, TaskItemStatus.Error);
        Assert.Equal("disk full", failed.Error);
        var json = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/tasks/{id}");
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Equal("disk full", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Consume_RepeatedAndLateEventsAfterTheEnd_ChangeNothing()
    {
        var id = await CreateTaskAsync();
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.InProgress, T0, null));
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Success, T0.AddSeconds(6), null));
        var finished = await TaskInStatusAsync(id, TaskItemStatus.Success);

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Success, T0.AddSeconds(9), null));
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.InProgress, T0.AddSeconds(8), null));
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Error, T0.AddSeconds(10), "late failure"));
        await SentinelAsync();

        var after = await api.WithDbAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.Id == id));
        Assert.Equal(TaskItemStatus.Success, after.Status);
        Assert.Equal(finished.StartedAt, after.StartedAt);
        Assert.Equal(finished.FinishedAt, after.FinishedAt);
        Assert.Null(after.Error);
    }

    [Fact]
    public async Task Consume_InProgressArrivingAfterTheResult_OnlyFillsInStartedAt()
    {
        var id = await CreateTaskAsync();

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Success, T0.AddSeconds(6), null));
        await TaskInStatusAsync(id, TaskItemStatus.Success);
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.InProgress, T0, null));
        await SentinelAsync();

        var after = await api.WithDbAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.Id == id));
        Assert.Equal(TaskItemStatus.Success, after.Status);
        Assert.Equal(T0, after.StartedAt);
    }

    [Fact]
    public async Task Consume_ErrorWithAttemptsLeft_SchedulesTheNextAttemptAfterABackoff()
    {
        var id = await CreateTaskAsync(maxAttempts: 3);

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.InProgress, T0, null, Attempt: 1));
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Error, T0.AddSeconds(5), "flaky", Attempt: 1));

        var waiting = await Eventually.GetAsync(() => api.WithDbAsync(db =>
            db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.Status == TaskItemStatus.New && t.Attempts == 2)), Timeout, "the retry");
        // Base delay 2 s with ±50% jitter, counted from the failure.
        Assert.InRange(waiting.ScheduledFor!.Value, T0.AddSeconds(6), T0.AddSeconds(8));
        Assert.Equal("flaky", waiting.Error);
        Assert.Equal(T0, waiting.StartedAt);
        Assert.Null(waiting.FinishedAt);
        using var requests = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerRequests);
        var request = MessageJson.Deserialize<ScheduleRequest>((await requests.ConsumeFirstAsync(
            m => MessageJson.Deserialize<ScheduleRequest>(m.Message.Value).ScheduleId == $"task-{id}-attempt-2", Timeout)).Message.Value);
        Assert.Equal(waiting.ScheduledFor, request.DueAt);
        Assert.Equal(2, MessageJson.Deserialize<TaskWorkItem>(request.Value).Attempt);
    }

    [Fact]
    public async Task Consume_ErrorOnTheLastAttempt_IsFinal()
    {
        var id = await CreateTaskAsync(maxAttempts: 2);

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Error, T0, "first", Attempt: 1));
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.InProgress, T0.AddSeconds(3), null, Attempt: 2));
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Error, T0.AddSeconds(6), "second", Attempt: 2));

        var failed = await TaskInStatusAsync(id, TaskItemStatus.Error);
        Assert.Equal((2, "second", T0.AddSeconds(6)), (failed.Attempts, failed.Error, failed.FinishedAt));
        Assert.Null(failed.ScheduledFor);
    }

    [Fact]
    public async Task Consume_SuccessOnARetry_ClearsTheError()
    {
        var id = await CreateTaskAsync(maxAttempts: 2);

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Error, T0, "first", Attempt: 1));
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Success, T0.AddSeconds(4), null, Attempt: 2));

        var succeeded = await TaskInStatusAsync(id, TaskItemStatus.Success);
        Assert.Equal(2, succeeded.Attempts);
        Assert.Null(succeeded.Error);
    }

    [Fact]
    public async Task Consume_RepeatedOrLateEventsOfAnEarlierAttempt_ChangeNothing()
    {
        var id = await CreateTaskAsync(maxAttempts: 3);
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Error, T0, "first", Attempt: 1));
        var waiting = await Eventually.GetAsync(() => api.WithDbAsync(db =>
            db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.Attempts == 2)), Timeout, "the retry");

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Error, T0.AddSeconds(1), "first, again", Attempt: 1));
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.InProgress, T0.AddSeconds(2), null, Attempt: 1));
        await SentinelAsync();

        var after = await api.WithDbAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.Id == id));
        Assert.Equal((TaskItemStatus.New, 2, waiting.ScheduledFor, "first"), (after.Status, after.Attempts, after.ScheduledFor, after.Error));
    }

    [Fact]
    public async Task Consume_EventForUnknownTask_IsIgnoredAndThePartitionMovesOn()
    {
        await ReportAsync(new TaskStatusChanged(Guid.NewGuid(), TaskRunStatus.Success, T0, null));

        await SentinelAsync();
    }

    [Fact]
    public async Task Consume_ErrorCutInsideASurrogatePair_StoresItWithoutTheHalfPair()
    {
        var id = await CreateTaskAsync();
        var kept = new string('e', TaskStatusConsumer.MaxErrorLength - 1);

        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Error, T0, kept + "\U0001F600 and more"));

        var failed = await TaskInStatusAsync(id, TaskItemStatus.Error);
        Assert.Equal(kept, failed.Error);
    }

    [Fact]
    public async Task Consume_OccurredAtTheEndOfTime_IsDeadLetteredWithTheFailureAndThePartitionMovesOn()
    {
        using var deadLetters = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.TaskStatusDeadLetter);
        // As a hostile or broken producer wrote it: its retry time would lie past DateTimeOffset.MaxValue.
        var value = Encoding.UTF8.GetBytes($$"""{"taskId": "{{Guid.NewGuid()}}", "status": "in_progress", "occurredAt": "9999-12-31T23:59:59Z", "attempt": 1}""");

        await _producer.ProduceAsync(Partition0, new Message<byte[]?, byte[]> { Key = null, Value = value });
        var id = await CreateTaskAsync();
        await ReportAsync(new TaskStatusChanged(id, TaskRunStatus.Success, T0, null));

        await TaskInStatusAsync(id, TaskItemStatus.Success);
        var deadLetter = await deadLetters.ConsumeFirstAsync(d => d.Message.Value.SequenceEqual(value), Timeout);
        Assert.StartsWith("System.ArgumentOutOfRangeException: The added or subtracted value results in an un-representable DateTime.",
            deadLetter.Header(DeadLetterHeaders.Reason));
    }

    [Theory]
    [InlineData("{\"taskId\":", "Invalid JSON")]
    [InlineData("{\"taskId\":\"00000000-0000-0000-0000-000000000000\",\"status\":\"success\",\"occurredAt\":\"2026-11-23T10:00:00Z\"}", "Expected")]
    [InlineData("{\"taskId\":\"0a2076ec-ec7d-7243-bc2d-addbebf69ff8\",\"status\":\"done\",\"occurredAt\":\"2026-11-23T10:00:00Z\"}", "wrong type")]
    [InlineData("{\"taskId\":\"0a2076ec-ec7d-7243-bc2d-addbebf69ff8\",\"status\":\"error\",\"occurredAt\":\"2026-11-23T10:00:00Z\",\"error\":\"a\\u0000b\"}", "NUL")]
    public async Task Consume_MalformedEvent_IsDeadLetteredWithTheReason(string json, string reasonFragment)
    {
        using var deadLetters = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.TaskStatusDeadLetter);
        var value = Encoding.UTF8.GetBytes(json);

        await _producer.ProduceAsync(Partition0, new Message<byte[]?, byte[]> { Key = null, Value = value });
        await SentinelAsync();

        var deadLetter = await deadLetters.ConsumeFirstAsync(d => d.Message.Value.SequenceEqual(value), Timeout);
        Assert.Contains(reasonFragment, deadLetter.Header(DeadLetterHeaders.Reason));
    }

    private async Task<Guid> CreateTaskAsync(int maxAttempts = 1)
    {
        var response = await api.CreateClient().PostAsJsonAsync("/tasks", new { name = "reported on", maxAttempts });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private Task ReportAsync(TaskStatusChanged change) =>
        _producer.ProduceAsync(Partition0, new Message<byte[]?, byte[]> { Key = MessageKeys.For(change.TaskId), Value = MessageJson.Serialize(change) });

    /// <summary>Reports a start for a fresh task and waits until it shows: everything produced before it has been handled.</summary>
    private async Task SentinelAsync()
    {
        var sentinel = await CreateTaskAsync();
        await ReportAsync(new TaskStatusChanged(sentinel, TaskRunStatus.InProgress, T0, null));
        await TaskInStatusAsync(sentinel, TaskItemStatus.InProgress);
    }

    private Task<TaskItem> TaskInStatusAsync(Guid id, TaskItemStatus status) =>
        Eventually.GetAsync(() => api.WithDbAsync(db => db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.Status == status)),
            Timeout, $"task {id} to be {status}");

    public void Dispose() => _producer.Dispose();
}
