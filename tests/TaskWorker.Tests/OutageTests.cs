using Confluent.Kafka;
using Tasks.Testing;

namespace TaskWorker.Tests;

/// <summary>What a test of an outage checks while it lasts: the worker holds the records it cannot settle.</summary>
public static class OutageTests
{
    // Nothing settles a held record, so there is no event to await: the worker is watched this long instead, long enough
    // for it to read the records, meet the outage and (were it to guess) report them and commit their offsets. It outlasts
    // StackExchange.Redis' 5 s command timeout, which commands queued while disconnected wait out before they fail, so the
    // outage is one the worker's own retries have to wait out.
    private static readonly TimeSpan Watched = TimeSpan.FromSeconds(7);

    /// <summary>
    /// Produces <paramref name="records"/> (keyed by message id) to <paramref name="topic"/> while <paramref name="redis"/> is
    /// stopped, asserts they are held (<see cref="AssertHeldAsync"/>), and starts Redis again.
    /// </summary>
    public static async Task ProduceWhileRedisIsDownAsync(
        RedisServer redis, KafkaFixture kafka, string groupId, string topic, IReadOnlyList<(long MessageId, Message<byte[]?, byte[]> Record)> records, TopicReader reports)
    {
        redis.Stop();
        try
        {
            using var producer = kafka.CreateProducer();
            var produced = await Task.WhenAll(records.Select(record => producer.ProduceAsync(topic, record.Record)));
            await AssertHeldAsync(kafka, groupId, produced, reports, records.Select(record => record.MessageId));
        }
        finally
        {
            redis.StartAgain();
        }
    }

    /// <summary>
    /// Asserts that during <see cref="Watched"/> none of <paramref name="messageIds"/> is reported and no offset of
    /// <paramref name="groupId"/> is committed past a <paramref name="produced"/> record.
    /// </summary>
    private static async Task AssertHeldAsync(
        KafkaFixture kafka, string groupId, IEnumerable<DeliveryResult<byte[]?, byte[]>> produced, TopicReader reports, IEnumerable<long> messageIds)
    {
        await Task.Delay(Watched);
        var reported = await reports.ReadToEndAsync();
        Assert.DoesNotContain(reported, record => messageIds.Any(record.IsFor));
        foreach (var partition in produced.GroupBy(delivery => delivery.TopicPartition))
        {
            var first = partition.Min(delivery => delivery.Offset.Value);
            Assert.True(await kafka.CommittedOffsetAsync(groupId, partition.Key) is not { } committed || committed <= first,
                $"An offset past {first} was committed on {partition.Key} while its record was unsettled.");
        }
    }
}
