using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Tasks;

public sealed class DeferredTaskTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Post_WithDelaySeconds_IsNewWithScheduledForAndIsHandedToTheScheduler()
    {
        var before = DateTimeOffset.UtcNow;

        var task = await CreateAsync(new { name = "later", payload = new { x = 1 }, delaySeconds = 600 });

        var scheduledFor = task.GetProperty("scheduledFor").GetDateTimeOffset();
        Assert.Equal("new", task.GetProperty("status").GetString());
        Assert.InRange(scheduledFor, before.AddSeconds(599), DateTimeOffset.UtcNow.AddSeconds(601));
        var request = await ScheduleRequestForAsync(task.GetProperty("id").GetGuid());
        Assert.Equal(scheduledFor, request.DueAt);
        Assert.Equal(KafkaTopics.TaskWork, request.Topic);
        var workItem = MessageJson.Deserialize<TaskWorkItem>(request.Value);
        Assert.Equal((task.GetProperty("id").GetGuid(), "later", 1), (workItem.TaskId, workItem.Name, workItem.Attempt));
        Assert.Contains(request.Headers, h => h.Name == "traceparent");
    }

    [Fact]
    public async Task Post_WithRunAtWithOffset_IsScheduledForThatInstant()
    {
        var task = await CreateAsync(new { name = "at a time", runAt = "2027-01-01T12:00:00+02:00" });

        Assert.Equal(new DateTimeOffset(2027, 1, 1, 10, 0, 0, TimeSpan.Zero), task.GetProperty("scheduledFor").GetDateTimeOffset());
    }

    [Fact]
    public async Task Post_WithRunAtInThePast_RunsAtOnce()
    {
        var task = await CreateAsync(new { name = "overdue", runAt = "2020-01-01T00:00:00Z" });

        Assert.Equal(JsonValueKind.Null, task.GetProperty("scheduledFor").ValueKind);
        using var work = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.TaskWork);
        var id = task.GetProperty("id").GetGuid();
        await work.ConsumeFirstAsync(m => MessageJson.Deserialize<TaskWorkItem>(m.Message.Value).TaskId == id, Timeout);
    }

    [Fact]
    public async Task Post_WithMaxAttempts_ShowsAttemptOneOfMax()
    {
        var task = await CreateAsync(new { name = "retried", maxAttempts = 3 });

        Assert.Equal(1, task.GetProperty("attempts").GetInt32());
        Assert.Equal(3, task.GetProperty("maxAttempts").GetInt32());
    }

    [Theory]
    [InlineData("""{"name":"x","runAt":"2026-11-23T10:00:00"}""", "runAt")]
    [InlineData("""{"name":"x","runAt":"tomorrow"}""", "runAt")]
    [InlineData("""{"name":"x","runAt":42}""", "runAt")]
    [InlineData("""{"name":"x","runAt":"2099-01-01T00:00:00Z"}""", "runAt")]
    [InlineData("""{"name":"x","delaySeconds":-1}""", "delaySeconds")]
    [InlineData("""{"name":"x","delaySeconds":31536001}""", "delaySeconds")]
    [InlineData("""{"name":"x","delaySeconds":"10"}""", "delaySeconds")]
    [InlineData("""{"name":"x","runAt":"2027-01-01T00:00:00Z","delaySeconds":10}""", "delaySeconds")]
    [InlineData("""{"name":"x","maxAttempts":0}""", "maxAttempts")]
    [InlineData("""{"name":"x","maxAttempts":11}""", "maxAttempts")]
    public async Task Post_InvalidScheduling_Returns400NamingTheField(string body, string field)
    {
        var response = await _client.PostAsync("/tasks", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ReadFieldErrorsAsync(field);
    }

    [Fact]
    public async Task Post_RunAtExactlyOneYearAheadMinusAMinute_IsAccepted()
    {
        var runAt = DateTimeOffset.UtcNow.AddDays(365).AddMinutes(-1);

        var response = await _client.PostAsJsonAsync("/tasks", new { name = "far", runAt = runAt.ToString("O") });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await _client.PostAsJsonAsync("/tasks", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<ScheduleRequest> ScheduleRequestForAsync(Guid taskId)
    {
        using var requests = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerRequests);
        var scheduleId = $"task-{taskId}-attempt-1";
        var record = await requests.ConsumeFirstAsync(m => MessageJson.Deserialize<ScheduleRequest>(m.Message.Value).ScheduleId == scheduleId, Timeout);
        Assert.Equal(Encoding.UTF8.GetBytes(scheduleId), record.Message.Key);
        return MessageJson.Deserialize<ScheduleRequest>(record.Message.Value);
    }
}
