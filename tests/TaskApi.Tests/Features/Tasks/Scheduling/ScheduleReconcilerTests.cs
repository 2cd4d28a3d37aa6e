using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Model;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Tasks.Scheduling;

// Alone: the reconciler's passes race the test's own writes, and other classes' load stretches those races.
[Collection(nameof(AloneCollection))]
public sealed class ScheduleReconcilerTests(ScheduleReconcilerTests.FastReconcilingApi api) : IClassFixture<ScheduleReconcilerTests.FastReconcilingApi>
{
    /// <summary>Reconciles every second, and calls a task overdue one minute after it was due.</summary>
    public sealed class FastReconcilingApi : TaskApiFactory
    {
        public FastReconcilingApi()
        {
            Settings["Reconciliation:Interval"] = "00:00:01";
            Settings["Reconciliation:OverdueAfter"] = "00:01:00";
            // An SMS retry a minute ahead: applied late on a loaded machine, a 1 s backoff is already past and its record
            // goes straight out, before the test has made it overdue.
            Settings["Mailings:Retries:BaseDelay"] = "00:01:00";
        }
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Reconcile_TaskDueSoon_IsRequestedAgainWithTheSameScheduleAndDueTime()
    {
        var response = await _client.PostAsJsonAsync("/tasks", new { name = "due soon", delaySeconds = 2 });
        var task = await response.Content.ReadFromJsonAsync<JsonElement>();
        var scheduleId = $"task-{task.GetProperty("id").GetGuid()}-attempt-1";

        using var requests = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerRequests);
        var both = await requests.ConsumeMatchingAsync(2, m => MessageJson.Deserialize<ScheduleRequest>(m.Message.Value).ScheduleId == scheduleId, Timeout);

        Assert.All(both, r => Assert.Equal(task.GetProperty("scheduledFor").GetDateTimeOffset(), MessageJson.Deserialize<ScheduleRequest>(r.Message.Value).DueAt));
    }

    [Fact]
    public async Task Reconcile_TaskStillNewLongAfterItWasDue_IsRequestedToRunNow()
    {
        var lost = TaskItem.CreateNew("lost schedule", null, null, "a test operator", DateTimeOffset.UtcNow.AddMinutes(-30), scheduledFor: DateTimeOffset.UtcNow.AddMinutes(-10));
        await api.WithDbAsync(db =>
        {
            db.Tasks.Add(lost);
            return db.SaveChangesAsync();
        });

        using var requests = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerRequests);
        var record = await requests.ConsumeFirstAsync(m => MessageJson.Deserialize<ScheduleRequest>(m.Message.Value).ScheduleId == $"task-{lost.Id}-attempt-1", Timeout);

        Assert.InRange(MessageJson.Deserialize<ScheduleRequest>(record.Message.Value).DueAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        var stored = await api.WithDbAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.Id == lost.Id));
        Assert.True(stored.ScheduledFor > DateTimeOffset.UtcNow.AddMinutes(-1), "scheduledFor moved to the re-request");
    }
}
