using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Hosting;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Delivery;
using TaskWorker.Sms;

namespace TaskWorker.Tests.Sms;

/// <summary>What the worker decides before calling, what it reports, and what it dead-letters.</summary>
public sealed class SmsSendHandlerTests(SmsWorkerFixture fixture) : IClassFixture<SmsWorkerFixture>, IDisposable
{
    private readonly IProducer<byte[]?, byte[]> _producer = fixture.Kafka.CreateProducer();
    private readonly TopicReader _reports = new(fixture.Kafka, KafkaTopics.MessagesStatus);
    private readonly TopicReader _deadLetters = new(fixture.Kafka, KafkaTopics.MessagesSendDeadLetter);

    public static TheoryData<byte[]?, byte[], string> UnreadableRecords
    {
        get
        {
            var item = SmsRecords.NewItem();
            var key = MessageKeys.For(item.MessageId);
            return new()
            {
                { null, MessageJson.Serialize(item), "no key" },
                { key, [], "empty" },
                { key, "not json"u8.ToArray(), "not an SmsSendItem" },
                { key, MessageJson.Serialize(new { item.MessageId, item.Phone }), "no mailingId" },
                { MessageKeys.For(item.MessageId + 1), MessageJson.Serialize(item), $"not the messageId {item.MessageId}" },
                { key, MessageJson.Serialize(item with { Phone = "7900123456" }), "not 11 to 15 digits" },
                { key, MessageJson.Serialize(item with { Phone = "+79001234567" }), "not 11 to 15 digits" },
                { key, MessageJson.Serialize(item with { Phone = "07900123456" }), "not 11 to 15 digits" },
                // .NET's $ matches before a final line break: the phone is checked as a whole string.
                { key, MessageJson.Serialize(item with { Phone = "79001234567\n" }), "not 11 to 15 digits" },
                { key, MessageJson.Serialize(item with { Text = "" }), "no text" },
            };
        }
    }

    [Fact]
    public async Task HandleAsync_PastTheRecordsExpiry_ReportsExpiredWithoutCalling()
    {
        var item = SmsRecords.NewItem(expiresAt: DateTimeOffset.UtcNow.AddSeconds(-1));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var report = await _reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(SmsOutcome.Expired, report.Outcome);
        Assert.False(report.Called);
        Assert.Empty(fixture.Gateway.RequestsFor(item.MessageId));
    }

    [Fact]
    public async Task HandleAsync_AfterTheSendWindowClosed_ReportsOutsideWindowWithoutCalling()
    {
        var item = SmsRecords.NewItem(windowClosesAt: DateTimeOffset.UtcNow.AddSeconds(-1));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var report = await _reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(SmsOutcome.OutsideWindow, report.Outcome);
        Assert.False(report.Called);
        Assert.Empty(fixture.Gateway.RequestsFor(item.MessageId));
    }

    [Fact]
    public async Task HandleAsync_WindowStillOpen_Sends()
    {
        var item = SmsRecords.NewItem(windowClosesAt: DateTimeOffset.UtcNow.AddMinutes(10));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        Assert.Equal(SmsOutcome.Sent, (await _reports.WaitForReportAsync(item.MessageId)).Outcome);
    }

    [Fact]
    public async Task HandleAsync_MailingCancelled_NeitherCallsNorReports()
    {
        var item = SmsRecords.NewItem();
        await ChangeMailingAsync(new MailingChanged(item.MailingId, DateTimeOffset.UtcNow.AddHours(1), Cancelled: true));

        var delivery = await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        // The offset is committed only once the record was handled.
        await Eventually.UntilAsync(
            async () => await fixture.Kafka.CommittedOffsetAsync(SmsSendConsumer.GroupId, delivery.TopicPartition) > delivery.Offset.Value,
            KafkaFixture.Patience, "the cancelled mailing's record to be committed");
        Assert.Empty(fixture.Gateway.RequestsFor(item.MessageId));
        Assert.DoesNotContain(await _reports.ReadToEndAsync(), record => record.IsFor(item.MessageId));
    }

    [Fact]
    public async Task HandleAsync_MailingEndMovedLater_SendsPastTheRecordsExpiry()
    {
        var item = SmsRecords.NewItem(expiresAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        await ChangeMailingAsync(new MailingChanged(item.MailingId, DateTimeOffset.UtcNow.AddHours(1), Cancelled: false));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        Assert.Equal(SmsOutcome.Sent, (await _reports.WaitForReportAsync(item.MessageId)).Outcome);
        Assert.Single(fixture.Gateway.RequestsFor(item.MessageId));
    }

    [Fact]
    public async Task HandleAsync_MailingEndMovedEarlier_ReportsExpiredBeforeTheRecordsExpiry()
    {
        var item = SmsRecords.NewItem(expiresAt: DateTimeOffset.UtcNow.AddHours(1));
        await ChangeMailingAsync(new MailingChanged(item.MailingId, DateTimeOffset.UtcNow.AddSeconds(-1), Cancelled: false));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        Assert.Equal(SmsOutcome.Expired, (await _reports.WaitForReportAsync(item.MessageId)).Outcome);
        Assert.Empty(fixture.Gateway.RequestsFor(item.MessageId));
    }

    [Fact]
    public async Task HandleAsync_RecordRedeliveredAfterItWasSent_ReportsSentAgainWithoutASecondCall()
    {
        var item = SmsRecords.NewItem();
        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));
        Assert.Equal(SmsOutcome.Sent, (await _reports.WaitForReportAsync(item.MessageId)).Outcome);

        // A replay of the outbox (or a redelivery after a crash) brings the same record again.
        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var again = await _reports.WaitForReportAsync(item.MessageId, count: 2);
        Assert.Equal(SmsOutcome.Sent, again.Outcome);
        Assert.False(again.Called);
        Assert.Single(fixture.Gateway.RequestsFor(item.MessageId));
    }

    [Fact]
    public async Task HandleAsync_Refused_LeavesNoSentMarkerSoTheNextDispatchCalls()
    {
        var item = SmsRecords.NewItem();
        fixture.Gateway.Answer(item.MessageId, StandInAnswer.Status(500));
        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));
        Assert.Equal(SmsOutcome.Retry, (await _reports.WaitForReportAsync(item.MessageId)).Outcome);

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item with { Dispatch = 2 }));

        var retried = await _reports.WaitForReportAsync(item.MessageId, count: 2);
        Assert.Equal((SmsOutcome.Sent, true, 2), (retried.Outcome, retried.Called, retried.Dispatch));
        Assert.Equal(2, fixture.Gateway.RequestsFor(item.MessageId).Count);
    }

    [Fact]
    public async Task HandleAsync_RedisStoppedUnderTheSender_HoldsTheRecordsAndSendsAndReportsEachOnceItIsBack()
    {
        var items = Enumerable.Range(0, 20).Select(_ => SmsRecords.NewItem()).ToList();
        await OutageTests.ProduceWhileRedisIsDownAsync(fixture.Redis, fixture.Kafka, SmsSendConsumer.GroupId, KafkaTopics.MessagesSend,
            items.Select(item => (item.MessageId, SmsRecords.Message(item))).ToList(), _reports);

        foreach (var item in items)
        {
            Assert.Equal(SmsOutcome.Sent, (await _reports.WaitForReportAsync(item.MessageId)).Outcome);
            Assert.Single(fixture.Gateway.RequestsFor(item.MessageId));
        }
    }

    [Theory]
    [MemberData(nameof(UnreadableRecords))]
    public async Task HandleAsync_UnreadableRecordBeforeGoodOnes_IsDeadLetteredWithTheReasonAndTheGoodOnesAreSentAndCommitted(
        byte[]? key, byte[] value, string expectedReason)
    {
        var partition = new TopicPartition(KafkaTopics.MessagesSend, 2);
        var headers = new Headers { { "origin", "test"u8.ToArray() } };
        var callsBefore = fixture.Gateway.Requests.Count;
        var goodOnes = new[] { SmsRecords.NewItem(), SmsRecords.NewItem() };

        // The good records wait behind the unreadable one on its partition.
        var unreadable = await _producer.ProduceAsync(partition, new Message<byte[]?, byte[]> { Key = key, Value = value, Headers = headers });
        await _producer.ProduceAsync(partition, SmsRecords.Message(goodOnes[0]));
        var lastGood = await _producer.ProduceAsync(partition, SmsRecords.Message(goodOnes[1]));

        var source = $"{KafkaTopics.MessagesSend}/{partition.Partition.Value}/{unreadable.Offset.Value}";
        var deadLetter = Assert.Single(await _deadLetters.WaitForAsync(record => record.Header(DeadLetterHeaders.Source) == source));
        Assert.Equal(key, deadLetter.Message.Key);
        Assert.Equal(value, deadLetter.Message.Value ?? []);
        Assert.Equal("test", deadLetter.Header("origin"));
        Assert.Contains(expectedReason, deadLetter.Header(DeadLetterHeaders.Reason));
        foreach (var good in goodOnes)
        {
            Assert.Equal(SmsOutcome.Sent, (await _reports.WaitForReportAsync(good.MessageId)).Outcome);
        }
        // Whatever the row held, nothing reached the provider for it: the good ones are the only calls since.
        Assert.Equal(goodOnes.Select(good => good.MessageId).Order(), fixture.Gateway.Requests.Skip(callsBefore).Select(request => request.MessageId).Order());
        await Eventually.UntilAsync(
            async () => await fixture.Kafka.CommittedOffsetAsync(SmsSendConsumer.GroupId, partition) > lastGood.Offset.Value,
            KafkaFixture.Patience, "the partition to be committed past the good records");
    }

    [Fact]
    public async Task HandleAsync_BrokerDownWhileTheProviderAnswers_HoldsTheRecordsAndReportsEachOnceItIsBack()
    {
        // A cluster, Redis and provider of its own: the outage would stall the class's shared worker.
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var gateway = await StandInSmsGateway.StartAsync();
        await using var worker = WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, gateway.BaseUrl, OutageTests.ShortProduceTimeout));
        using var producer = kafka.CreateProducer();
        using var reports = new TopicReader(kafka, KafkaTopics.MessagesStatus);
        var items = Enumerable.Range(0, 5).Select(_ => SmsRecords.NewItem()).ToList();
        foreach (var item in items)
        {
            gateway.Answer(item.MessageId, StandInAnswer.AcceptedAfter(TimeSpan.FromSeconds(2)));
        }
        var deliveries = await Task.WhenAll(items.Select(item => producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item))));
        // Every call has reached the provider, which answers it 2 s later, in the outage.
        foreach (var item in items)
        {
            await gateway.WaitForRequestsAsync(item.MessageId);
        }

        await OutageTests.TakeTheBrokerDownAsync(kafka);

        await OutageTests.AssertEachReportedBeforeCommittedAsync(kafka, SmsSendConsumer.GroupId,
            items.Zip(deliveries, (item, delivery) => (delivery, (Func<ConsumeResult<byte[]?, byte[]>, bool>)(record => record.IsFor(item.MessageId)))).ToList(),
            reports);
        foreach (var item in items)
        {
            Assert.Equal(SmsOutcome.Sent, (await reports.WaitForReportAsync(item.MessageId)).Outcome);
            Assert.Single(gateway.RequestsFor(item.MessageId));
        }
    }

    [Fact]
    public async Task HandleAsync_WithTraceparent_TheCallAndTheReportAreChildrenOfTheRecordsSpan()
    {
        var item = SmsRecords.NewItem();
        var outboxSpan = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using var kafkaSpans = new SpanCollector(KafkaTracing.Source.Name, outboxSpan.TraceId);
        using var httpSpans = new SpanCollector("System.Net.Http", outboxSpan.TraceId);
        var headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes($"00-{outboxSpan.TraceId}-{outboxSpan.SpanId}-01") } };

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item, headers));

        var report = Assert.Single(await _reports.WaitForAsync(record => record.IsFor(item.MessageId)));
        var process = await Eventually.GetAsync(
            () => Task.FromResult(kafkaSpans.Ended.SingleOrDefault(span => span.Kind == ActivityKind.Consumer)),
            KafkaFixture.Patience, "the record's consumer span to end");
        Assert.Equal(outboxSpan.SpanId, process.ParentSpanId);
        var call = Assert.Single(httpSpans.Ended, span => span.Kind == ActivityKind.Client);
        Assert.Equal(process.SpanId, call.ParentSpanId);
        var publish = Assert.Single(kafkaSpans.Ended, span => span.Kind == ActivityKind.Producer);
        Assert.Equal(process.SpanId, publish.ParentSpanId);
        // The provider got the call's context, and the report carries its producer span's.
        var request = Assert.Single(fixture.Gateway.RequestsFor(item.MessageId));
        Assert.Equal(call.SpanId, KafkaTracing.ParseTraceParent(request.TraceParent).SpanId);
        Assert.Equal(publish.SpanId, KafkaTracing.ParseTraceParent(report.Header("traceparent")).SpanId);
    }

    [Fact]
    public async Task HandleAsync_Sent_RecordsTheGatewayLatencyAndTheOutcome()
    {
        // A worker of its own: the shared one may still count the outcome of a record of the test before.
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var gateway = await StandInSmsGateway.StartAsync();
        await using var worker = WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, gateway.BaseUrl));
        using var producer = kafka.CreateProducer();
        using var reports = new TopicReader(kafka, KafkaTopics.MessagesStatus);
        var meterFactory = worker.Services.GetRequiredService<IMeterFactory>();
        using var latency = new InstrumentRecorder(meterFactory, "sms.gateway.duration");
        using var outcomes = new InstrumentRecorder(meterFactory, "sms.outcomes");
        var item = SmsRecords.NewItem();

        await producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        await reports.WaitForReportAsync(item.MessageId);
        await Eventually.UntilAsync(() => Task.FromResult(outcomes.Total == 1), KafkaFixture.Patience, "the outcome to be counted");
        Assert.Equal(1, latency.Count);
    }

    [Fact]
    public async Task HandleAsync_ProviderErrorWithLineBreaks_LogsTheOutcomeOnOneLineWithTheBreaksEscaped()
    {
        var item = SmsRecords.NewItem();
        // A provider's answer is outside text: unescaped, its line break would start a forged log line of its own.
        fixture.Gateway.Answer(item.MessageId, StandInAnswer.Status(400, "refused\r\ninfo: TaskWorker.Sms.SmsSendHandler[20] forged"));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        Assert.Equal(SmsOutcome.Failed, (await _reports.WaitForReportAsync(item.MessageId)).Outcome);
        var logs = fixture.Worker.Services.GetFakeLogCollector();
        var outcome = await Eventually.GetAsync(
            () => Task.FromResult(logs.GetSnapshot().FirstOrDefault(log => log.Id.Id == 20 && log.Message.Contains($" message {item.MessageId} "))),
            KafkaFixture.Patience, "the outcome to be logged");
        Assert.DoesNotContain('\n', outcome.Message);
        Assert.DoesNotContain('\r', outcome.Message);
        Assert.Contains("refused\\r\\ninfo: TaskWorker.Sms.SmsSendHandler[20] forged", outcome.Message);
    }

    [Fact]
    public async Task Health_SendingSms_Returns200HealthyWithRedisChecked()
    {
        var health = fixture.Worker.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();

        var report = await health.CheckHealthAsync();
        var response = await fixture.Worker.CreateClient().GetAsync(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath);

        Assert.Contains(report.Entries.Keys, name => name.Contains("redis", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        _producer.Dispose();
        _reports.Dispose();
        _deadLetters.Dispose();
    }

    /// <summary>Publishes a mailing change and waits until the worker knows it, as TaskApi's change would have come before the record.</summary>
    private async Task ChangeMailingAsync(MailingChanged change)
    {
        await _producer.ProduceAsync(KafkaTopics.MailingsChanges, SmsRecords.Change(change));
        var known = fixture.Worker.Services.GetRequiredService<KnownMailings>();
        await Eventually.UntilAsync(() => Task.FromResult(known.Find(change.MailingId) == change), KafkaFixture.Patience, "the worker to know the change");
    }
}
