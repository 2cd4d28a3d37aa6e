using Confluent.Kafka;
using EmbeddedKafka;

namespace Tasks.Testing;

/// <summary>
/// An embedded Kafka cluster with the pipeline's topics (<see cref="PipelineKafka"/>), for one test class as an
/// xunit class fixture, or for one test (<c>using var kafka = new KafkaFixture();</c>, which takes milliseconds)
/// when it needs consumer groups and committed offsets no other test touches.
/// </summary>
public sealed class KafkaFixture : IDisposable
{
    /// <summary>How long the helpers wait for the cluster to answer.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The cluster itself, for fault injection.</summary>
    public KafkaMockCluster Cluster { get; } = PipelineKafka.Start();

    public string BootstrapServers => Cluster.BootstrapServers;

    public IProducer<byte[]?, byte[]> CreateProducer() => PipelineKafka.Producer(BootstrapServers);

    /// <summary>
    /// A consumer of every partition of <paramref name="topic"/> from the beginning. It is assigned the partitions
    /// rather than joining a group, so it reads at once instead of after the embedded broker's group-join delay.
    /// </summary>
    public IConsumer<byte[]?, byte[]> CreateTopicReader(string topic)
    {
        var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            // The embedded broker answers a fetch that finds nothing only after the full wait (500 ms by default),
            // which would be every record's latency.
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Assign(Enumerable.Range(0, PipelineKafka.Partitions).Select(partition => new TopicPartitionOffset(topic, partition, Offset.Beginning)));
        return consumer;
    }

    /// <summary>
    /// The offset <paramref name="groupId"/> has committed for <paramref name="partition"/>, or null when it has
    /// committed none. Asks the group coordinator without joining the group, so its members are not disturbed.
    /// </summary>
    public Task<long?> CommittedOffsetAsync(string groupId, TopicPartition partition) => OwnThread.RunAsync(() =>
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).Build();
        var committed = consumer.Committed([partition], Patience).Single().Offset;
        return committed == Offset.Unset ? (long?)null : committed.Value;
    });

    public void Dispose() => Cluster.Dispose();
}
