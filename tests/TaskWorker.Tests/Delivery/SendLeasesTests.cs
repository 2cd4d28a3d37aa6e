using Confluent.Kafka;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Email;
using TaskWorker.Sms;

namespace TaskWorker.Tests.Delivery;

/// <summary>
/// A message reaches its provider once while it is in flight, however many workers hold a copy of its record: the
/// partition's next owner after a rebalance, or a second copy of the record produced meanwhile.
/// </summary>
[Collection(nameof(AloneCollection))]
public sealed class SendLeasesTests
{
    private const int MailingSize = 3_000;

    // Each call takes CallDuration over at most Connections connections per worker (200 sends a second each), so the
    // mailing lasts through three rebalances, every worker has a backlog waiting for a connection when a partition moves,
    // and a hundred calls are in the provider's hands at any moment.
    private const int Connections = 100;
    private static readonly TimeSpan CallDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MailingPatience = TimeSpan.FromSeconds(90);

    private static readonly (string, string)[] Rebalancing =
    [
        // A leaving worker gives its runs a second, then abandons those not yet calling, and its partitions move.
        ("Worker:ShutdownGrace", "00:00:01"),
        // The embedded broker settles a membership change after session.timeout.ms − 1 s; shorter than the usual test
        // setting, so three rebalances take seconds.
        .. new[] { SmsSendConsumer.ServiceKey, EmailSendConsumer.ServiceKey }.SelectMany(consumer => new[]
        {
            ($"Aspire:Confluent:Kafka:Consumer:{consumer}:Config:session.timeout.ms", "3000"),
            ($"Aspire:Confluent:Kafka:Consumer:{consumer}:Config:heartbeat.interval.ms", "500"),
        }),
    ];

    [Fact]
    public async Task SendOnceAsync_ThreeWorkersRebalancedDuringMailing_NoMessageReachesTheProviderTwice()
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var gateway = await StandInSmsGateway.StartAsync();
        using var reports = new TopicReader(kafka, KafkaTopics.MessagesStatus);
        var items = Enumerable.Range(0, MailingSize).Select(_ => SmsRecords.NewItem()).ToList();
        foreach (var item in items)
        {
            gateway.Answer(item.MessageId, StandInAnswer.AcceptedAfter(CallDuration));
        }
        await ProduceAllAsync(kafka, KafkaTopics.MessagesSend, items.Select(item => SmsRecords.Message(item)));

        await RebalanceThreeWorkersAsync(
            () => WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, gateway.BaseUrl,
                [("Sms:MaxConnections", Connections.ToString()), .. Rebalancing])),
            () => gateway.Requests.Count,
            async () =>
            {
                var read = await reports.ReadUntilAsync(
                    records => records.Select(record => record.Report().MessageId).Distinct().Count() == MailingSize,
                    "a report of every message", MailingPatience);
                return read.Select(record => record.Report()).Select(report => (report.MessageId, report.Outcome == SmsOutcome.Sent)).ToList();
            });

        var twice = gateway.Requests.GroupBy(request => request.MessageId).Where(sends => sends.Count() > 1).Select(sends => sends.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} messages reached the provider more than once, among them {string.Join(", ", twice.Take(10))}.");
        Assert.Equal(items.Select(item => item.MessageId).Order(), gateway.Requests.Select(request => request.MessageId).Order());
    }

    [Fact]
    public async Task SendOnceAsync_ThreeWorkersRebalancedDuringCampaign_NoEmailReachesTheServerTwice()
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var smtp = await StandInSmtpServer.StartAsync();
        using var reports = new TopicReader(kafka, KafkaTopics.EmailsStatus);
        var campaign = EmailRecords.NewCampaign();
        var items = Enumerable.Range(0, MailingSize).Select(_ => EmailRecords.NewItem(campaign)).ToList();
        smtp.AnswerNext(MailingSize, StandInSmtpAnswer.Delayed(CallDuration));
        using (var producer = kafka.CreateProducer())
        {
            await producer.ProduceAsync(KafkaTopics.CampaignsChanges, EmailRecords.Change(campaign));
        }
        await ProduceAllAsync(kafka, KafkaTopics.EmailsSend, items.Select(item => EmailRecords.Message(item)));

        await RebalanceThreeWorkersAsync(
            () => WorkerFactory.Start(kafka, WorkerFactory.SendingEmail(redis, smtp,
                [("Smtp:MaxConnections", Connections.ToString()), ("Smtp:MaxInFlight", MailingSize.ToString()), .. Rebalancing])),
            () => smtp.ReceivedCount,
            async () =>
            {
                var read = await reports.ReadUntilAsync(
                    records => records.Select(record => record.EmailReport().MessageId).Distinct().Count() == MailingSize,
                    "a report of every email", MailingPatience);
                return read.Select(record => record.EmailReport()).Select(report => (report.MessageId, report.Outcome == EmailOutcome.Sent)).ToList();
            });

        var twice = smtp.Received.GroupBy(email => email.EnvelopeTo.Single()).Where(sends => sends.Count() > 1).Select(sends => sends.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} emails reached the server more than once, among them {string.Join(", ", twice.Take(10))}.");
        Assert.Equal(
            items.Select(item => item.To.Email).Order(StringComparer.OrdinalIgnoreCase),
            smtp.Received.Select(email => email.EnvelopeTo.Single()).Order(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SendOnceAsync_SecondCopyArrivesWhileTheFirstIsWithTheProvider_OneCallAndBothReportedSent()
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var gateway = await StandInSmsGateway.StartAsync();
        using var reports = new TopicReader(kafka, KafkaTopics.MessagesStatus);
        await using var worker = WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, gateway.BaseUrl));
        using var producer = kafka.CreateProducer();
        var item = SmsRecords.NewItem();
        gateway.Answer(item.MessageId, StandInAnswer.AcceptedAfter(TimeSpan.FromSeconds(2)));

        await producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));
        await gateway.WaitForRequestsAsync(item.MessageId);
        // An outbox or Scheduler replay: the same record again, while the provider still holds the first call.
        await producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var reported = (await reports.WaitForAsync(record => record.IsFor(item.MessageId), count: 2)).Select(record => record.Report()).ToList();
        Assert.All(reported, report => Assert.Equal(SmsOutcome.Sent, report.Outcome));
        Assert.Equal([false, true], reported.Select(report => report.Called).Order());
        Assert.Single(gateway.RequestsFor(item.MessageId));
    }

    private static async Task ProduceAllAsync(KafkaFixture kafka, string topic, IEnumerable<Message<byte[]?, byte[]>> messages)
    {
        using var producer = kafka.CreateProducer();
        await Task.WhenAll(messages.Select(message => producer.ProduceAsync(topic, message)));
    }

    /// <summary>
    /// Sends the produced mailing with a first worker, has a second and a third join while it is sending and the first leave,
    /// then waits for <paramref name="readReports"/> (each report's message id and whether it says sent): every message
    /// must be reported sent, and some must have been handled by two workers, which the rebalances were to cause.
    /// </summary>
    private static async Task RebalanceThreeWorkersAsync(
        Func<WorkerFactory> startWorker, Func<int> handedOver, Func<Task<List<(long MessageId, bool Sent)>>> readReports)
    {
        await using var first = startWorker();
        await HandedOverAsync(handedOver, MailingSize / 10);
        await using var second = startWorker();
        await HandedOverAsync(handedOver, MailingSize * 4 / 10);
        await using var third = startWorker();
        await HandedOverAsync(handedOver, MailingSize * 6 / 10);
        // Leaving lets the first worker's runs finish within its grace period; the rest move to the others.
        var leaving = first.DisposeAsync();

        var reports = await readReports();
        await leaving;
        Assert.All(reports.GroupBy(report => report.MessageId), sends => Assert.Contains(sends, report => report.Sent));
        Assert.Contains(reports.GroupBy(report => report.MessageId), reported => reported.Count() > 1);
    }

    private static Task HandedOverAsync(Func<int> handedOver, int count) =>
        Eventually.UntilAsync(() => Task.FromResult(handedOver() >= count), MailingPatience, $"{count} messages handed over");
}
