using System.Text;
using Scheduler.Storage;
using Tasks.Shared;
using Tasks.Testing;

namespace Scheduler.Tests.Release;

public sealed class ReleaserTests(SchedulerFixture fixture) : IClassFixture<SchedulerFixture>
{
    // Released by the next claims, not after a 30 s lease or a later poll; a loaded 2-core CI machine was seen to take
    // 0.95 s. How late releases are is measured by bench/SchedulerBench, not here.
    private static readonly TimeSpan MaxLateness = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Release_DueEntry_DeliversAtDueTimeWithKeyValueAndHeaders()
    {
        var topic = fixture.Kafka.CreateTargetTopic(fixture.Scheduler);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        ScheduledHeader[] headers =
        [
            new("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"u8.ToArray()),
            new("repeated", [1, 2, 3]),
            new("repeated", [0xFF, 0x00]),
            new("empty", []),
        ];
        var request = Schedules.Request(topic, Schedules.Now.AddSeconds(1), recordKey: "entity-42", headers);

        await fixture.Producer.ScheduleAsync(request);

        var released = await reader.ConsumeFirstAsync(_ => true, Schedules.Patience);
        var arrivedAt = DateTimeOffset.UtcNow;
        var releasedAt = released.Message.Timestamp.UtcDateTime;
        Assert.True(releasedAt >= request.DueAt, $"Released at {releasedAt:O}, before its due time {request.DueAt:O}.");
        Assert.True(arrivedAt >= request.DueAt, $"Arrived at {arrivedAt:O}, before its due time {request.DueAt:O}.");
        Assert.True(releasedAt - request.DueAt < MaxLateness, $"Released {(releasedAt - request.DueAt).TotalMilliseconds} ms late.");
        Assert.Equal("entity-42", Encoding.UTF8.GetString(released.Message.Key!));
        Assert.Equal(request.Value, released.Message.Value);
        Assert.Equal(
            headers.Select(h => (h.Name, Convert.ToHexString(h.Value))),
            released.Message.Headers.Select(h => (h.Key, Convert.ToHexString(h.GetValueBytes()))));
        await Eventually.UntilAsync(async () => await fixture.Scheduler.Store.StateOfAsync(request.ScheduleId) == EntryState.Released,
            Schedules.Patience, "the release to be acknowledged");
    }

    [Fact]
    public async Task Release_DueTimeInThePast_DeliversAtOnce()
    {
        var topic = fixture.Kafka.CreateTargetTopic(fixture.Scheduler);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        var request = Schedules.Request(topic, Schedules.Now.AddHours(-1));
        var sentAt = Schedules.Now;

        await fixture.Producer.ScheduleAsync(request);

        var released = await reader.ConsumeFirstAsync(_ => true, Schedules.Patience);
        var delay = released.Message.Timestamp.UtcDateTime - sentAt;
        Assert.True(delay < MaxLateness, $"Released {delay.TotalMilliseconds} ms after it was sent.");
    }

    [Fact]
    public async Task Release_ClaimedButNotAcknowledged_IsReleasedOnceAfterTheLeaseExpires()
    {
        var topic = fixture.Kafka.CreateTargetTopic(fixture.Scheduler);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        var store = fixture.Scheduler.Store;
        // Due late enough that the running Scheduler leaves it alone until the "crashed releaser" below has claimed it
        // ahead of time; its lease expires after the due time.
        var request = Schedules.Request(topic, Schedules.Now.AddSeconds(1));
        await store.ScheduleAsync(request);
        var leaseUntil = Schedules.Now.AddSeconds(2);

        var claim = await store.ClaimAsync(Schedules.Now, dueBy: request.DueAt, leaseUntil, limit: 1);

        Assert.Equal(request.ScheduleId, Assert.Single(claim.Entries).ScheduleId);
        Assert.Equal(EntryState.InFlight, await store.StateOfAsync(request.ScheduleId));
        var released = await reader.ConsumeFirstAsync(_ => true, Schedules.Patience);
        Assert.True(released.Message.Timestamp.UtcDateTime >= leaseUntil, "Released while the lease was still held.");
        await Eventually.UntilAsync(async () => await store.StateOfAsync(request.ScheduleId) == EntryState.Released,
            Schedules.Patience, "the release to be acknowledged");
        Assert.Equal(1, reader.CountRecords(topic));
    }

    [Fact]
    public async Task Release_RedisRestartedWhileEntriesWait_ReleasesThem()
    {
        var topic = fixture.Kafka.CreateTargetTopic(fixture.Scheduler);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        var request = Schedules.Request(topic, Schedules.Now.AddSeconds(2));
        await fixture.Producer.ScheduleAsync(request);
        await Eventually.UntilAsync(async () => await fixture.Scheduler.Store.StateOfAsync(request.ScheduleId) == EntryState.Waiting,
            Schedules.Patience, "the entry to be stored");

        fixture.Redis.Stop();
        fixture.Redis.StartAgain();

        var released = await reader.ConsumeFirstAsync(_ => true, Schedules.Patience);
        Assert.Equal(request.ScheduleId, Schedules.ScheduleIdOf(released));
        Assert.True(released.Message.Timestamp.UtcDateTime >= request.DueAt);
    }

    [Fact]
    public async Task Release_EntryForATopicNotAllowed_DeadLettersItWithTheReasonInsteadOfReleasingIt()
    {
        var topic = $"not-allowed-{Guid.NewGuid():N}";
        fixture.Kafka.CreateTopic(topic, PipelineKafka.Partitions);
        using var reader = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, topic);
        using var deadLetters = PipelineKafka.Consumer(fixture.Kafka.BootstrapServers, KafkaTopics.SchedulerDeadLetter);
        var request = Schedules.Request(topic, Schedules.Now);

        // Stored as a request accepted before the allowlist was narrowed would be (intake refuses it now).
        await fixture.Scheduler.Store.ScheduleAsync(request);

        var deadLetter = await deadLetters.ConsumeFirstAsync(r => r.Message.Key is { } key && Encoding.UTF8.GetString(key) == request.ScheduleId, Schedules.Patience);
        Assert.Contains($"'topic' {topic} is not one the Scheduler releases to", deadLetter.Header(DeadLetterHeaders.Reason));
        Assert.Equal(request.Value, MessageJson.Deserialize<ScheduleRequest>(deadLetter.Message.Value).Value);
        await Eventually.UntilAsync(async () => await fixture.Scheduler.Store.StateOfAsync(request.ScheduleId) == EntryState.Released,
            Schedules.Patience, "the entry to be acknowledged");
        Assert.Equal(0, reader.CountRecords(topic));
    }
}
