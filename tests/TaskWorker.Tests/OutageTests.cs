using Confluent.Kafka;
using EmbeddedKafka;
using Tasks.Testing;

namespace TaskWorker.Tests;

/// <summary>
/// What a test of an outage does and checks: Redis stopped or the broker taken down under the worker, which holds the
/// records it cannot settle and reports each once the outage is over, never committing past a record not yet reported.
/// </summary>
public static class OutageTests
{
    // Nothing settles a held record, so there is no event to await: the worker is watched this long instead, long enough
    // for it to read the records, meet the outage and (were it to guess) report them and commit their offsets. It outlasts
    // StackExchange.Redis' 5 s command timeout, which commands queued while disconnected wait out before they fail, so the
    // outage is one the worker's own retries have to wait out.
    private static readonly TimeSpan Watched = TimeSpan.FromSeconds(7);

    /// <summary>
    /// The worker setting that has its producer give a record up after 1.5 s (30 s by default), so that a broker outage
    /// of <see cref="BrokerAway"/> outlasts it and only the worker's own retries can carry a report through.
    /// </summary>
    public static readonly (string Key, string Value) ShortProduceTimeout = ("Aspire:Confluent:Kafka:Producer:Config:message.timeout.ms", "1500");

    // Longer than ShortProduceTimeout, so a report begun in the outage is given up at least once; shorter than the test
    // workers' 6 s session timeout, so the group keeps its members and no rebalance hands the records over meanwhile.
    private static readonly TimeSpan BrokerAway = TimeSpan.FromSeconds(5);

    /// <summary>Takes every broker of <paramref name="kafka"/> down (connections refused) for <see cref="BrokerAway"/>, then up again.</summary>
    public static async Task TakeTheBrokerDownAsync(KafkaFixture kafka)
    {
        kafka.Cluster.SetBrokerDown(KafkaMockCluster.AllBrokers);
        try
        {
            await Task.Delay(BrokerAway);
        }
        finally
        {
            kafka.Cluster.SetBrokerUp(KafkaMockCluster.AllBrokers);
        }
    }

    /// <summary>
    /// Awaits until each of <paramref name="records"/> has a report on <paramref name="reports"/> (<c>IsReport</c>), and
    /// asserts at every look that <paramref name="groupId"/> has committed no offset past a record not yet reported.
    /// </summary>
    /// <remarks>
    /// The committed offsets are read before the reports: a worker that reports before it commits has then always
    /// published the report of every committed record, so the check cannot fail a correct worker by a race.
    /// </remarks>
    public static Task AssertEachReportedBeforeCommittedAsync(
        KafkaFixture kafka, string groupId, IReadOnlyList<(DeliveryResult<byte[]?, byte[]> Delivery, Func<ConsumeResult<byte[]?, byte[]>, bool> IsReport)> records,
        TopicReader reports) =>
        Eventually.UntilAsync(async () =>
        {
            var committed = new Dictionary<TopicPartition, long?>();
            IReadOnlyList<ConsumeResult<byte[]?, byte[]>> reported;
            try
            {
                foreach (var partition in records.Select(record => record.Delivery.TopicPartition).Distinct())
                {
                    committed[partition] = await kafka.CommittedOffsetAsync(groupId, partition);
                }
                reported = await reports.ReadToEndAsync();
            }
            catch (KafkaException)
            {
                // The test's own clients may fail a query while their connections come back after the outage
                // ("Broker handle destroyed without termination"): look again.
                return false;
            }
            var unreported = records.Where(record => !reported.Any(record.IsReport)).Select(record => record.Delivery).ToList();
            var passed = unreported.Where(delivery => committed[delivery.TopicPartition] > delivery.Offset.Value).ToList();
            Assert.True(passed.Count == 0,
                $"Committed past {string.Join(", ", passed.Select(delivery => delivery.TopicPartitionOffset))} before their reports.");
            return unreported.Count == 0;
        }, KafkaFixture.Patience, "every record to be reported");

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
