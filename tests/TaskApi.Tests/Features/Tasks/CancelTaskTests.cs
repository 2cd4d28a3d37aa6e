using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Model;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Tasks;

public sealed class CancelTaskTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Delete_DeferredTask_CancelsItAndDropsItsSchedule()
    {
        var id = await CreateAsync(new { name = "deferred", delaySeconds = 600 });

        var response = await _client.DeleteAsync($"/tasks/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var task = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", task.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, task.GetProperty("finishedAt").ValueKind);
        using var cancels = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerCancels);
        await cancels.ConsumeFirstAsync(m => MessageJson.Deserialize<ScheduleCancel>(m.Message.Value).ScheduleId == $"task-{id}-attempt-1", Timeout);
        Assert.Equal("cancelled", (await _client.GetFromJsonAsync<JsonElement>($"/tasks/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_Twice_Returns200BothTimes()
    {
        var id = await CreateAsync(new { name = "twice" });

        Assert.Equal(HttpStatusCode.OK, (await _client.DeleteAsync($"/tasks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.DeleteAsync($"/tasks/{id}")).StatusCode);
    }

    [Theory]
    [InlineData(TaskItemStatus.InProgress)]
    [InlineData(TaskItemStatus.Success)]
    [InlineData(TaskItemStatus.Error)]
    public async Task Delete_StartedOrFinishedTask_Returns409AndChangesNothing(TaskItemStatus status)
    {
        var id = await CreateAsync(new { name = "too late" });
        await api.WithDbAsync(db => db.Tasks.Where(t => t.Id == id).ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, status)));

        var response = await _client.DeleteAsync($"/tasks/{id}");

        var problem = await response.ReadProblemAsync(409);
        Assert.Contains(TaskItemStatusNames.Of(status), problem.GetProperty("detail").GetString());
        Assert.Equal(status, await api.WithDbAsync(db => db.Tasks.Where(t => t.Id == id).Select(t => t.Status).SingleAsync()));
    }

    [Fact]
    public async Task Delete_UnknownTask_Returns404()
    {
        await (await _client.DeleteAsync($"/tasks/{Guid.NewGuid()}")).ReadProblemAsync(404);
    }

    [Fact]
    public async Task Delete_IdThatIsNotAGuid_Returns400NamingId()
    {
        await (await _client.DeleteAsync("/tasks/nope")).ReadFieldErrorsAsync("id");
    }

    [Fact]
    public async Task StatusEvents_ForACancelledTask_ChangeNothing()
    {
        var id = await CreateAsync(new { name = "cancelled, then run anyway" });
        await _client.DeleteAsync($"/tasks/{id}");
        using var producer = PipelineKafka.Producer(api.Kafka.BootstrapServers);
        var partition = new TopicPartition(KafkaTopics.TaskStatus, new Partition(0));

        await producer.ProduceAsync(partition, StatusEvent(new TaskStatusChanged(id, TaskRunStatus.InProgress, DateTimeOffset.UtcNow, null)));
        await producer.ProduceAsync(partition, StatusEvent(new TaskStatusChanged(id, TaskRunStatus.Success, DateTimeOffset.UtcNow, null)));
        var sentinel = await CreateAsync(new { name = "sentinel" });
        await producer.ProduceAsync(partition, StatusEvent(new TaskStatusChanged(sentinel, TaskRunStatus.InProgress, DateTimeOffset.UtcNow, null)));

        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.Tasks.AnyAsync(t => t.Id == sentinel && t.Status == TaskItemStatus.InProgress)), Timeout, "the sentinel to start");
        var after = await api.WithDbAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.Id == id));
        Assert.Equal((TaskItemStatus.Cancelled, null), (after.Status, after.StartedAt));
    }

    private static Message<byte[]?, byte[]> StatusEvent(TaskStatusChanged change) =>
        new() { Key = MessageKeys.For(change.TaskId), Value = MessageJson.Serialize(change) };

    private async Task<Guid> CreateAsync(object body)
    {
        var response = await _client.PostAsJsonAsync("/tasks", body);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
