using System.Text;
using Confluent.Kafka;
using EmbeddedKafka;
using Microsoft.Extensions.DependencyInjection;
using Tasks.Shared;
using Tasks.Testing;

namespace Scheduler.Tests;

/// <summary>Requests and cancels as a client of the Scheduler sends them, and reading what it released.</summary>
public static class Schedules
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Now, to the millisecond: Kafka timestamps have millisecond precision, so due times compare exactly with them.</summary>
    public static DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>A request whose record's value is its schedule id, so a reader knows which entry a record is.</summary>
    public static ScheduleRequest Request(string topic, DateTimeOffset dueAt, string? recordKey = null, IReadOnlyList<ScheduledHeader>? headers = null)
    {
        var scheduleId = $"test-{Guid.NewGuid():N}";
        return new ScheduleRequest(scheduleId, dueAt, topic, recordKey is null ? null : Encoding.UTF8.GetBytes(recordKey),
            Encoding.UTF8.GetBytes(scheduleId), headers ?? []);
    }

    public static string ScheduleIdOf(ConsumeResult<byte[]?, byte[]> released) => Encoding.UTF8.GetString(released.Message.Value);

    /// <summary>
    /// Publishes <paramref name="request"/> to scheduler.requests keyed by <paramref name="messageKey"/> (by default its
    /// schedule id); requests with the same message key share a partition, so the Scheduler reads them in order.
    /// </summary>
    public static Task ScheduleAsync(this IProducer<byte[]?, byte[]> producer, ScheduleRequest request, string? messageKey = null) =>
        producer.ProduceAsync(KafkaTopics.SchedulerRequests, new Message<byte[]?, byte[]>
        {
            Key = Encoding.UTF8.GetBytes(messageKey ?? request.ScheduleId),
            Value = MessageJson.Serialize(request),
        });

    public static Task CancelAsync(this IProducer<byte[]?, byte[]> producer, string scheduleId) =>
        producer.ProduceAsync(KafkaTopics.SchedulerCancels, new Message<byte[]?, byte[]>
        {
            Key = Encoding.UTF8.GetBytes(scheduleId),
            Value = MessageJson.Serialize(new ScheduleCancel(scheduleId)),
        });

    /// <summary>The topics tests release to, one per <see cref="CreateTargetTopic"/>: the test Schedulers' allowlist.</summary>
    public static readonly IReadOnlyList<string> TargetTopics =
        [.. Enumerable.Range(0, 300).Select(i => $"released-{Environment.ProcessId}-{i}")];

    private static int _targetTopicsTaken;

    /// <summary>
    /// A new topic for one test's released records, so its reader sees nothing else. The <paramref name="schedulers"/>'
    /// producers look it up at once: librdkafka's first produce to a topic it has no metadata for waits up to a second
    /// for it, a once-per-topic cost in production that would otherwise land on every test's first release.
    /// </summary>
    public static string CreateTargetTopic(this KafkaMockCluster kafka, params SchedulerHost[] schedulers)
    {
        var next = Interlocked.Increment(ref _targetTopicsTaken) - 1;
        var topic = next < TargetTopics.Count ? TargetTopics[next] : throw new InvalidOperationException($"All {TargetTopics.Count} target topics are taken.");
        kafka.CreateTopic(topic, PipelineKafka.Partitions);
        foreach (var scheduler in schedulers)
        {
            using var admin = new DependentAdminClientBuilder(scheduler.Services.GetRequiredService<IProducer<byte[]?, byte[]>>().Handle).Build();
            admin.GetMetadata(topic, Patience);
        }
        return topic;
    }

    /// <summary>Every record read until the one released for <paramref name="scheduleId"/>, that one included.</summary>
    public static async Task<List<ConsumeResult<byte[]?, byte[]>>> ReadUntilAsync(this IConsumer<byte[]?, byte[]> reader, string scheduleId)
    {
        var read = new List<ConsumeResult<byte[]?, byte[]>>();
        await reader.ConsumeFirstAsync(record =>
        {
            read.Add(record);
            return ScheduleIdOf(record) == scheduleId;
        }, Patience);
        return read;
    }

    /// <summary>How many records the topic holds (the sum of its partitions' high watermarks).</summary>
    public static long CountRecords(this IConsumer<byte[]?, byte[]> reader, string topic) =>
        Enumerable.Range(0, PipelineKafka.Partitions)
            .Sum(partition => reader.QueryWatermarkOffsets(new TopicPartition(topic, partition), Patience).High.Value);
}
