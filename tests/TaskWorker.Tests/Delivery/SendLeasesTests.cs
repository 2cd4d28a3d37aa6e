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
public sealed class SendLeasesTests(SendLeasesTests.RebalancedDelivery delivery) : IClassFixture<SendLeasesTests.RebalancedDelivery>
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
        var run = await delivery.RunAsync();

        AssertEverySentAndSomeHandledByTwoWorkers(run.SmsReports);
        var requests = delivery.Gateway.Requests;
        var twice = requests.GroupBy(request => request.MessageId).Where(sends => sends.Count() > 1).Select(sends => sends.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} messages reached the provider more than once, among them {string.Join(", ", twice.Take(10))}.");
        Assert.Equal(run.Messages.Select(item => item.MessageId).Order(), requests.Select(request => request.MessageId).Order());
    }

    [Fact]
    public async Task SendOnceAsync_ThreeWorkersRebalancedDuringCampaign_NoEmailReachesTheServerTwice()
    {
        var run = await delivery.RunAsync();

        AssertEverySentAndSomeHandledByTwoWorkers(run.EmailReports);
        var received = delivery.Smtp.Received;
        var twice = received.GroupBy(email => email.EnvelopeTo.Single()).Where(sends => sends.Count() > 1).Select(sends => sends.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} emails reached the server more than once, among them {string.Join(", ", twice.Take(10))}.");
        Assert.Equal(
            run.Emails.Select(item => item.To.Email).Order(StringComparer.OrdinalIgnoreCase),
            received.Select(email => email.EnvelopeTo.Single()).Order(StringComparer.OrdinalIgnoreCase),
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

    /// <summary>Every message reported sent, and some reported by two workers, which the rebalances were to cause.</summary>
    private static void AssertEverySentAndSomeHandledByTwoWorkers(List<(long MessageId, bool Sent)> reports)
    {
        Assert.All(reports.GroupBy(report => report.MessageId), sends => Assert.Contains(sends, report => report.Sent));
        Assert.Contains(reports.GroupBy(report => report.MessageId), reported => reported.Count() > 1);
    }

    /// <summary>What the rebalanced run produced: the items sent and each channel's reports (message id, whether it says sent).</summary>
    public sealed record RebalancedRun(
        List<SmsSendItem> Messages, List<EmailSendItem> Emails, List<(long MessageId, bool Sent)> SmsReports, List<(long MessageId, bool Sent)> EmailReports);

    /// <summary>
    /// One run for both channels' tests (each rebalance costs seconds of the embedded broker's waits): a mailing and a
    /// campaign of <see cref="MailingSize"/> each, sent by workers that send both, a first worker alone, then a second and
    /// a third joining while they are sending and the first leaving. Each channel's test asserts its own facts of it.
    /// </summary>
    public sealed class RebalancedDelivery : IAsyncLifetime
    {
        private readonly KafkaFixture _kafka = new();
        private readonly RedisServer _redis = RedisServer.Start();
        private readonly Lazy<Task<RebalancedRun>> _run;

        public RebalancedDelivery() => _run = new(RunOnceAsync);

        public StandInSmsGateway Gateway { get; private set; } = null!;
        public StandInSmtpServer Smtp { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Gateway = await StandInSmsGateway.StartAsync();
            Smtp = await StandInSmtpServer.StartAsync();
        }

        public Task<RebalancedRun> RunAsync() => _run.Value;

        private async Task<RebalancedRun> RunOnceAsync()
        {
            using var smsReports = new TopicReader(_kafka, KafkaTopics.MessagesStatus);
            using var emailReports = new TopicReader(_kafka, KafkaTopics.EmailsStatus);
            var messages = Enumerable.Range(0, MailingSize).Select(_ => SmsRecords.NewItem()).ToList();
            foreach (var item in messages)
            {
                Gateway.Answer(item.MessageId, StandInAnswer.AcceptedAfter(CallDuration));
            }
            var campaign = EmailRecords.NewCampaign();
            var emails = Enumerable.Range(0, MailingSize).Select(_ => EmailRecords.NewItem(campaign)).ToList();
            Smtp.AnswerNext(MailingSize, StandInSmtpAnswer.Delayed(CallDuration));
            using (var producer = _kafka.CreateProducer())
            {
                await producer.ProduceAsync(KafkaTopics.CampaignsChanges, EmailRecords.Change(campaign));
            }
            await Task.WhenAll(
                ProduceAllAsync(_kafka, KafkaTopics.MessagesSend, messages.Select(item => SmsRecords.Message(item))),
                ProduceAllAsync(_kafka, KafkaTopics.EmailsSend, emails.Select(item => EmailRecords.Message(item))));

            // The marks are the channel furthest along: each channel is still sending when a rebalance moves its partitions.
            var (sms, email) = await RebalanceThreeWorkersAsync(
                () => WorkerFactory.Start(_kafka, [
                    .. WorkerFactory.SendingSms(_redis, Gateway.BaseUrl),
                    .. WorkerFactory.SendingEmail(_redis, Smtp),
                    ("Sms:MaxConnections", Connections.ToString()), ("Smtp:MaxConnections", Connections.ToString()),
                    ("Smtp:MaxInFlight", MailingSize.ToString()), .. Rebalancing,
                ]),
                () => Math.Max(Gateway.Requests.Count, Smtp.ReceivedCount),
                async () =>
                {
                    var read = await smsReports.ReadUntilAsync(
                        records => records.Select(record => record.Report().MessageId).Distinct().Count() == MailingSize,
                        "a report of every message", MailingPatience);
                    return read.Select(record => record.Report()).Select(report => (report.MessageId, report.Outcome == SmsOutcome.Sent)).ToList();
                },
                async () =>
                {
                    var read = await emailReports.ReadUntilAsync(
                        records => records.Select(record => record.EmailReport().MessageId).Distinct().Count() == MailingSize,
                        "a report of every email", MailingPatience);
                    return read.Select(record => record.EmailReport()).Select(report => (report.MessageId, report.Outcome == EmailOutcome.Sent)).ToList();
                });
            return new RebalancedRun(messages, emails, sms, email);
        }

        public async Task DisposeAsync()
        {
            await Smtp.DisposeAsync();
            await Gateway.DisposeAsync();
            _redis.Dispose();
            _kafka.Dispose();
        }
    }

    /// <summary>
    /// Sends the produced mailing and campaign with a first worker, has a second and a third join while they are sending
    /// and the first leave, then waits for both channels' reports (each report's message id and whether it says sent).
    /// </summary>
    private static async Task<(List<(long MessageId, bool Sent)> Sms, List<(long MessageId, bool Sent)> Email)> RebalanceThreeWorkersAsync(
        Func<WorkerFactory> startWorker, Func<int> handedOver,
        Func<Task<List<(long MessageId, bool Sent)>>> readSmsReports, Func<Task<List<(long MessageId, bool Sent)>>> readEmailReports)
    {
        await using var first = startWorker();
        await HandedOverAsync(handedOver, MailingSize / 10);
        await using var second = startWorker();
        await HandedOverAsync(handedOver, MailingSize * 4 / 10);
        await using var third = startWorker();
        await HandedOverAsync(handedOver, MailingSize * 6 / 10);
        // Leaving lets the first worker's runs finish within its grace period; the rest move to the others.
        var leaving = first.DisposeAsync();

        var sms = await readSmsReports();
        var email = await readEmailReports();
        await leaving;
        return (sms, email);
    }

    private static Task HandedOverAsync(Func<int> handedOver, int count) =>
        Eventually.UntilAsync(() => Task.FromResult(handedOver() >= count), MailingPatience, $"{count} messages handed over");
}
