using EmbeddedKafka;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Tasks.Testing;

namespace Scheduler.Tests.Release;

public sealed class ReleaserConcurrencyTests : IDisposable
{
    private readonly RedisServer _redis = RedisServer.Start();
    private readonly KafkaMockCluster _kafka = PipelineKafka.Start();

    [Fact]
    public async Task Release_TwoInstancesSharingRedisAndKafka_ReleaseEachEntryExactlyOnce()
    {
        const int entries = 3000;
        // Small claims, so the two instances take turns many times over the same due entries.
        (string, string) smallBatches = ("Scheduler:ReleaseBatchSize", "50");
        await using var first = SchedulerHost.Start(_redis.ConnectionString, _kafka.BootstrapServers, "pair:", smallBatches);
        await using var second = SchedulerHost.Start(_redis.ConnectionString, _kafka.BootstrapServers, "pair:", smallBatches);
        using var firstReleases = new InstrumentRecorder(first.Services.GetRequiredService<IMeterFactory>(), SchedulerMetrics.ReleasesInstrument);
        using var secondReleases = new InstrumentRecorder(second.Services.GetRequiredService<IMeterFactory>(), SchedulerMetrics.ReleasesInstrument);
        var topic = _kafka.CreateTargetTopic(first, second);
        using var reader = PipelineKafka.Consumer(_kafka.BootstrapServers, topic);
        // All due at the same instant. Stored directly rather than through Kafka: the point is the release, and two
        // new members in one consumer group would add the embedded broker's rebalance wait.
        var dueAt = Schedules.Now.AddSeconds(1);
        var requests = Enumerable.Range(0, entries).Select(_ => Schedules.Request(topic, dueAt)).ToList();
        await Task.WhenAll(requests.Select(first.Store.ScheduleAsync));

        var released = await reader.ConsumeMatchingAsync(entries, _ => true, Schedules.Patience);

        Assert.Equal(requests.Select(r => r.ScheduleId).Order(), released.Select(Schedules.ScheduleIdOf).Order());
        // Every release is acknowledged only after Kafka has the record: once none is left, every record is in the topic.
        await Eventually.UntilAsync(async () => await first.Store.CountAsync() == 0, Schedules.Patience, "every release to be acknowledged");
        Assert.Equal(entries, reader.CountRecords(topic));
        Assert.True(firstReleases.Total > 0 && secondReleases.Total > 0,
            $"Both instances should have released: {firstReleases.Total} and {secondReleases.Total}.");
    }

    public void Dispose()
    {
        _kafka.Dispose();
        _redis.Dispose();
    }
}
