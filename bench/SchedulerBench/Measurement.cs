using Confluent.Kafka;

namespace SchedulerBench;

/// <summary>What one run achieved: lateness (release time minus due time) percentiles and release throughput.</summary>
public sealed record Measurement(int Released, int Repeated, double P50Ms, double P99Ms, double MaxMs, double EntriesPerSecond, TimeSpan LastAfterFirstDue)
{
    /// <summary>
    /// From the records of <paramref name="topic"/>, read once the run is over so reading does not compete with
    /// releasing. Release time is each record's Kafka timestamp, which the producer stamps when the record is handed
    /// to it (CreateTime, whole milliseconds).
    /// </summary>
    public static Measurement Read(string bootstrapServers, string topic, Workload workload, DateTimeOffset start, int partitions)
    {
        using var reader = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"bench-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        reader.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));

        var releases = new List<(int Index, DateTimeOffset ReleasedAt)>(workload.Count);
        var endedPartitions = 0;
        while (endedPartitions < partitions)
        {
            var result = reader.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"{topic} stopped before its end.");
            if (result.IsPartitionEOF)
            {
                endedPartitions++;
                continue;
            }
            releases.Add((Workload.IndexOf(result.Message), result.Message.Timestamp.UtcDateTime));
        }
        return Of(releases, workload, start);
    }

    /// <summary>From release times of entry indexes; an index released more than once counts at its first release.</summary>
    public static Measurement Of(IReadOnlyCollection<(int Index, DateTimeOffset ReleasedAt)> releases, Workload workload, DateTimeOffset start)
    {
        var first = releases.GroupBy(r => r.Index).Select(g => g.Min(r => r.ReleasedAt) - workload.DueAt(start, g.Key)).ToList();
        var lateness = first.Select(l => l.TotalMilliseconds).Order().ToList();
        var lastAfterFirstDue = releases.Max(r => r.ReleasedAt) - workload.DueAt(start, 0);
        return new Measurement(lateness.Count, releases.Count - lateness.Count, Percentile(lateness, 0.50), Percentile(lateness, 0.99),
            lateness[^1], lateness.Count / Math.Max(lastAfterFirstDue.TotalSeconds, 0.001), lastAfterFirstDue);
    }

    private static double Percentile(List<double> sorted, double fraction) => sorted[(int)Math.Ceiling(fraction * sorted.Count) - 1];
}
