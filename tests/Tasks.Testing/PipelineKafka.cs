using System.Text;
using Confluent.Kafka;
using EmbeddedKafka;
using Tasks.Shared;

namespace Tasks.Testing;

/// <summary>An embedded Kafka cluster with the pipeline's topics, and plain Confluent clients an outside system would use.</summary>
public static class PipelineKafka
{
    public const int Partitions = 4;

    public static KafkaMockCluster Start()
    {
        var cluster = KafkaMockCluster.Start();
        foreach (var topic in KafkaTopics.All)
        {
            cluster.CreateTopic(topic, Partitions);
        }
        return cluster;
    }

    public static IProducer<byte[]?, byte[]> Producer(string bootstrapServers) =>
        new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, Acks = Acks.All }).Build();

    /// <summary>
    /// A reader of every partition of <paramref name="topic"/> from the beginning. It assigns the partitions
    /// itself rather than joining a group, which on the embedded broker takes seconds.
    /// </summary>
    public static IConsumer<byte[]?, byte[]> Consumer(string bootstrapServers, string topic)
    {
        var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"test-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        return consumer;
    }

    /// <summary>Every record on <paramref name="topic"/> so far (up to each partition's end when called), read as <typeparamref name="T"/>.</summary>
    public static Task<List<T>> ReadAllAsync<T>(string bootstrapServers, string topic, TimeSpan timeout) =>
        OwnThread.RunAsync(() =>
        {
            using var consumer = Consumer(bootstrapServers, topic);
            var ends = Enumerable.Range(0, Partitions).ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), timeout).High.Value);
            var read = new Dictionary<int, long>();
            var records = new List<T>();
            var deadline = DateTime.UtcNow + timeout;
            while (ends.Any(end => end.Value > read.GetValueOrDefault(end.Key)))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{records.Count} records of {topic} were read within {timeout}, not all.");
                }
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
                {
                    read[result.Partition.Value] = result.Offset.Value + 1;
                    records.Add(MessageJson.Deserialize<T>(result.Message.Value));
                }
            }
            return records;
        });

    /// <summary>Reads until a record matches <paramref name="match"/>; fails after <paramref name="timeout"/>.</summary>
    public static Task<ConsumeResult<byte[]?, byte[]>> ConsumeFirstAsync(
        this IConsumer<byte[]?, byte[]> consumer, Func<ConsumeResult<byte[]?, byte[]>, bool> match, TimeSpan timeout) =>
        OwnThread.RunAsync(() =>
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result && match(result))
                {
                    return result;
                }
            }
            throw new TimeoutException($"No matching record on {string.Join(", ", consumer.Assignment)} within {timeout}.");
        });

    /// <summary>Reads until <paramref name="count"/> records matched <paramref name="match"/>; fails after <paramref name="timeout"/>.</summary>
    public static Task<List<ConsumeResult<byte[]?, byte[]>>> ConsumeMatchingAsync(
        this IConsumer<byte[]?, byte[]> consumer, int count, Func<ConsumeResult<byte[]?, byte[]>, bool> match, TimeSpan timeout) =>
        OwnThread.RunAsync(() =>
        {
            var results = new List<ConsumeResult<byte[]?, byte[]>>();
            var deadline = DateTime.UtcNow + timeout;
            while (results.Count < count)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{results.Count} of {count} matching records arrived within {timeout}.");
                }
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result && match(result))
                {
                    results.Add(result);
                }
            }
            return results;
        });

    /// <summary>The first record on <paramref name="topic"/> keyed <paramref name="key"/> (UTF-8), headers and all; fails after <paramref name="timeout"/>.</summary>
    public static async Task<ConsumeResult<byte[]?, byte[]>> ReadKeyedAsync(string bootstrapServers, string topic, string key, TimeSpan timeout)
    {
        using var consumer = Consumer(bootstrapServers, topic);
        return await consumer.ConsumeFirstAsync(r => r.Message.Key is { } k && Encoding.UTF8.GetString(k) == key, timeout);
    }

    public static string? Header(this ConsumeResult<byte[]?, byte[]> result, string name) =>
        result.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The latest record on <paramref name="topic"/> of each of <paramref name="keys"/>, read as <typeparamref name="T"/>.</summary>
    public static async Task<Dictionary<string, T>> ReadLatestAsync<T>(string bootstrapServers, string topic, IReadOnlyCollection<string> keys, TimeSpan timeout)
    {
        using var consumer = Consumer(bootstrapServers, topic);
        var wanted = keys.ToHashSet();
        var records = await consumer.ConsumeMatchingAsync(keys.Count, r => r.Message.Key is { } key && wanted.Remove(Encoding.UTF8.GetString(key)), timeout);
        return records.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key!))
            .ToDictionary(g => g.Key, g => MessageJson.Deserialize<T>(g.Last().Message.Value));
    }
}
