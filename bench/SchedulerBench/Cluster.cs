using Confluent.Kafka;
using EmbeddedKafka;
using Tasks.Shared;
using Tasks.Testing;

namespace SchedulerBench;

/// <summary>A private redis-server (append-only file on, as in production) and an embedded Kafka cluster.</summary>
public sealed class Cluster : IDisposable
{
    public const int Partitions = 4;

    public RedisServer Redis { get; } = RedisServer.Start();
    public KafkaMockCluster Kafka { get; } = KafkaMockCluster.Start();

    public Cluster()
    {
        foreach (var topic in KafkaTopics.All.Except([KafkaTopics.SchedulerRequests]))
        {
            Kafka.CreateTopic(topic, Partitions);
        }
        // The embedded broker keeps at most 5 MB per partition; 100,000 requests of about 250 bytes need more room.
        Kafka.CreateTopic(KafkaTopics.SchedulerRequests, 16);
    }

    public string CreateTopic(string topic)
    {
        Kafka.CreateTopic(topic, Partitions);
        return topic;
    }

    /// <summary>
    /// Has <paramref name="producer"/> look up <paramref name="topic"/> now: librdkafka's first produce to a topic it
    /// has no metadata for waits for it (about 0.8 s here), a once-per-process cost neither scheduler should be charged.
    /// </summary>
    public static void WarmUp(IProducer<byte[]?, byte[]> producer, string topic)
    {
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
    }

    /// <summary>The producer settings the Scheduler's own producer has (ServiceDefaults' defaults).</summary>
    public IProducer<byte[]?, byte[]> CreateProducer() =>
        new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig
        {
            BootstrapServers = Kafka.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
        }).Build();

    public void Dispose()
    {
        Kafka.Dispose();
        Redis.Dispose();
    }
}
