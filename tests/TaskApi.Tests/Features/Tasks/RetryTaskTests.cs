using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Model;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Tasks;

/// <summary>
/// <c>POST /tasks/{id}/retry</c> over the real outbox and Kafka; the run itself is the pipeline's
/// (<c>Pipeline.Tests.RetryTests.FailedTask_RetriedByAnOperator_RunsAgainAndItsNewStatusArrives</c>).
/// </summary>
public sealed class RetryTaskTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Post_FailedTask_RequestsTheNextAttemptNowAndKeepsTheErrorUntilItReports()
    {
        var id = await FailedTaskAsync("disk full");
        var before = DateTimeOffset.UtcNow;

        var response = await _client.PostAsync($"/tasks/{id}/retry", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var task = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("new", 2, "disk full"), (task.GetProperty("status").GetString(), task.GetProperty("attempts").GetInt32(), task.GetProperty("error").GetString()));
        Assert.Equal(JsonValueKind.Null, task.GetProperty("finishedAt").ValueKind);
        var scheduledFor = task.GetProperty("scheduledFor").GetDateTimeOffset();
        Assert.InRange(scheduledFor, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        using var requests = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerRequests);
        var request = MessageJson.Deserialize<ScheduleRequest>((await requests.ConsumeFirstAsync(
            m => MessageJson.Deserialize<ScheduleRequest>(m.Message.Value).ScheduleId == $"task-{id}-attempt-2", Timeout)).Message.Value);
        Assert.Equal((KafkaTopics.TaskWork, scheduledFor), (request.Topic, request.DueAt));
        var work = MessageJson.Deserialize<TaskWorkItem>(request.Value);
        Assert.Equal((id, 2, "retried"), (work.TaskId, work.Attempt, work.Name));

        // The new attempt's report replaces the error.
        using var producer = PipelineKafka.Producer(api.Kafka.BootstrapServers);
        await producer.ProduceAsync(KafkaTopics.TaskStatus, new Message<byte[]?, byte[]>
        {
            Key = MessageKeys.For(id),
            Value = MessageJson.Serialize(new TaskStatusChanged(id, TaskRunStatus.Success, DateTimeOffset.UtcNow, null, Attempt: 2)),
        });
        var succeeded = await Eventually.GetAsync(() => api.WithDbAsync(db =>
            db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.Status == TaskItemStatus.Success)), Timeout, "the new attempt's report");
        Assert.Equal((2, null), (succeeded.Attempts, succeeded.Error));
    }

    [Fact]
    public async Task Post_TwoRetriesAtOnce_MakeOneAttemptAndTheOtherAnswers409()
    {
        var id = await FailedTaskAsync("timeout");

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => _client.PostAsync($"/tasks/{id}/retry", null)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var conflict = await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ReadProblemAsync(409);
        Assert.Contains("is new", conflict.GetProperty("detail").GetString());
        Assert.Equal(2, await api.WithDbAsync(db => db.Tasks.Where(t => t.Id == id).Select(t => t.Attempts).SingleAsync()));
        var scheduleKey = Encoding.UTF8.GetBytes($"task-{id}-attempt-2");
        Assert.Equal(1, await api.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Topic == KafkaTopics.SchedulerRequests && m.Key == scheduleKey)));
    }

    [Theory]
    [InlineData(TaskItemStatus.New)]
    [InlineData(TaskItemStatus.InProgress)]
    [InlineData(TaskItemStatus.Success)]
    [InlineData(TaskItemStatus.Cancelled)]
    public async Task Post_TaskNotInError_Returns409NamingItsStatusAndChangesNothing(TaskItemStatus status)
    {
        var id = await CreateAsync();
        await api.WithDbAsync(db => db.Tasks.Where(t => t.Id == id).ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, status)));

        var problem = await (await _client.PostAsync($"/tasks/{id}/retry", null)).ReadProblemAsync(409);

        Assert.Equal($"Task '{id}' is {TaskItemStatusNames.Of(status)}; only a task in error can be retried.", problem.GetProperty("detail").GetString());
        var after = await api.WithDbAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.Id == id));
        Assert.Equal((status, 1), (after.Status, after.Attempts));
    }

    [Fact]
    public async Task Post_Retry_IsRecordedInTheAuditLog()
    {
        var id = await FailedTaskAsync("audited");

        (await _client.PostAsync($"/tasks/{id}/retry", null)).EnsureSuccessStatusCode();

        var entry = await Eventually.GetAsync(() => api.WithDbAsync(db =>
            db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Entity == $"/tasks/{id}/retry")), Timeout, "the audit entry");
        Assert.Equal(("POST /tasks/{id}/retry", 200), (entry.Action, entry.Status));
    }

    [Fact]
    public async Task Post_UnknownTask_Returns404()
    {
        await (await _client.PostAsync($"/tasks/{Guid.NewGuid()}/retry", null)).ReadProblemAsync(404);
    }

    [Fact]
    public async Task Post_IdThatIsNotAGuid_Returns400NamingId()
    {
        await (await _client.PostAsync("/tasks/nope/retry", null)).ReadFieldErrorsAsync("id");
    }

    private async Task<Guid> FailedTaskAsync(string error)
    {
        var id = await CreateAsync();
        await api.WithDbAsync(db => db.Tasks.Where(t => t.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.Status, TaskItemStatus.Error)
            .SetProperty(t => t.Error, error)
            .SetProperty(t => t.FinishedAt, DateTimeOffset.UtcNow)));
        return id;
    }

    private async Task<Guid> CreateAsync()
    {
        var response = await _client.PostAsJsonAsync("/tasks", new { name = "retried" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
