using Microsoft.EntityFrameworkCore;
using Tasks.Shared;
using TaskApi.Features.Schedules.Firing;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Schedules.Firing;

/// <summary>Occurrences missed while the system was down (or lost with Redis's data): the latest runs once, or none.</summary>
public sealed class OccurrenceReconcilerTests(OccurrenceReconcilerTests.ReconcilingApi api) : IClassFixture<OccurrenceReconcilerTests.ReconcilingApi>
{
    /// <summary>Reconciles every second; an occurrence a minute overdue was missed.</summary>
    public sealed class ReconcilingApi : TaskApiFactory
    {
        public ReconcilingApi()
        {
            Settings["Reconciliation:Interval"] = "00:00:01";
            Settings["Reconciliation:OverdueAfter"] = "00:01:00";
        }
    }

    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Reconcile_MissedOccurrencesWithRunOnce_RunsTheLatestOnceAndRequestsTheNext()
    {
        var id = await MissFiveMinutesAsync("runOnce");

        var stored = await Eventually.GetAsync(async () => await api.StoredAsync(id) is { NextOccurrence: { } next } s && next > DateTimeOffset.UtcNow.AddMinutes(-1) ? s : null,
            ScheduleTesting.Timeout, "the schedule to catch up");

        var task = Assert.Single(await api.TasksOfAsync(id));
        Assert.Equal(ScheduleFiring.IdempotencyKey(id, stored.LastOccurrence!.Value), task.IdempotencyKey);
        // The latest occurrence that had come: the minute's start before the catch-up.
        Assert.InRange(stored.LastOccurrence!.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow);
        Assert.Equal(stored.LastOccurrence.Value.AddMinutes(1), stored.NextOccurrence);
        await api.RequestedAsync(id, due => due.Occurrence == stored.NextOccurrence);
    }

    [Fact]
    public async Task Reconcile_MissedOccurrencesWithSkip_RunsNoneAndRequestsTheNext()
    {
        var id = await MissFiveMinutesAsync("skip");

        var stored = await Eventually.GetAsync(async () => await api.StoredAsync(id) is { NextOccurrence: { } next } s && next > DateTimeOffset.UtcNow.AddMinutes(-1) ? s : null,
            ScheduleTesting.Timeout, "the schedule to catch up");

        Assert.Empty(await api.TasksOfAsync(id));
        Assert.Null(stored.LastOccurrence);
        Assert.InRange(stored.NextOccurrence!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        await api.RequestedAsync(id, due => due.Occurrence == stored.NextOccurrence);
    }

    [Fact]
    public async Task Reconcile_OccurrenceDueWithinTwoIntervals_IsRequestedAgain()
    {
        var id = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("0 0 12 * * *", "UTC"))).Id();
        using var requests = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.SchedulerRequests);
        var moved = new HashSet<DateTimeOffset>();

        // As if Redis had lost the request of an occurrence 1.5 s ahead: a pass that finds it between 1 s and two
        // intervals (2 s) ahead asks for it again. A pass comes every second, so the occurrence is moved 1.5 s ahead of
        // now again until one has seen it there.
        await Eventually.UntilAsync(async () =>
        {
            var soon = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(1.5).ToUnixTimeMilliseconds());
            moved.Add(soon);
            await api.WithDbAsync(db => db.Schedules.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.NextOccurrence, soon)));
            return await requests.AnyWithinAsync(r => MessageJson.Deserialize<ScheduleRequest>(r.Message.Value) is { Topic: KafkaTopics.SchedulesDue } request
                && MessageJson.Deserialize<ScheduleDue>(request.Value) is var due && due.ScheduleId == id && moved.Contains(due.Occurrence), TimeSpan.FromSeconds(1.2));
        }, ScheduleTesting.Timeout, "the occurrence due soon to be requested again");
    }

    /// <summary>An every-minute schedule whose occurrence five minutes ago never came (as if TaskApi had been down since).</summary>
    private async Task<long> MissFiveMinutesAsync(string misfire)
    {
        var id = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("* * * * *", "UTC", new { misfire }))).Id();
        var now = DateTimeOffset.UtcNow;
        var missed = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-5);
        await api.WithDbAsync(db => db.Schedules.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.NextOccurrence, missed)));
        return id;
    }
}
