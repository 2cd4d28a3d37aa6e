using Confluent.Kafka;
using EmbeddedKafka;
using Scheduler.Storage;
using Tasks.Testing;

namespace Scheduler.Tests;

/// <summary>A private Redis, an embedded Kafka cluster and one Scheduler for a test class.</summary>
public sealed class SchedulerFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = RedisServer.Start();
    public KafkaMockCluster Kafka { get; } = PipelineKafka.Start();
    public SchedulerHost Scheduler { get; private set; } = null!;
    public IProducer<byte[]?, byte[]> Producer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Scheduler = SchedulerHost.Start(Redis.ConnectionString, Kafka.BootstrapServers, "test:");
        Producer = PipelineKafka.Producer(Kafka.BootstrapServers);
        await WarmUpAsync();
    }

    /// <summary>
    /// Waits until both consumers read their topics: the embedded broker assigns a new group's partitions after
    /// about 3 s, which would otherwise count as the first test's lateness.
    /// </summary>
    private async Task WarmUpAsync()
    {
        var request = Schedules.Request(Kafka.CreateTargetTopic(), Schedules.Now);
        await Producer.ScheduleAsync(request);
        var cancelled = $"warm-up-{Guid.NewGuid():N}";
        await Producer.CancelAsync(cancelled);
        await Eventually.UntilAsync(async () => await Scheduler.Store.StateOfAsync(request.ScheduleId) == EntryState.Released,
            Schedules.Patience, "the warm-up entry to be released");
        await Eventually.UntilAsync(async () => await Scheduler.Store.StateOfAsync(cancelled) == EntryState.Cancelled,
            Schedules.Patience, "the warm-up cancel to be applied");
    }

    public async Task DisposeAsync()
    {
        Producer?.Dispose();
        if (Scheduler is not null)
        {
            await Scheduler.DisposeAsync();
        }
        Kafka.Dispose();
        Redis.Dispose();
    }
}
