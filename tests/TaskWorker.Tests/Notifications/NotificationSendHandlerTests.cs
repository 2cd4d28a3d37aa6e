using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Notifications;

namespace TaskWorker.Tests.Notifications;

/// <summary>What the worker hands over for a notification delivery, what it reports, drops and dead-letters.</summary>
public sealed class NotificationSendHandlerTests(NotificationWorkerFixture fixture) : IClassFixture<NotificationWorkerFixture>, IDisposable
{
    private readonly IProducer<byte[]?, byte[]> _producer = fixture.Kafka.CreateProducer();
    private readonly TopicReader _reports = new(fixture.Kafka, KafkaTopics.NotificationsStatus);

    public static TheoryData<bool, byte[]?, byte[], string> UnreadableRecords
    {
        get
        {
            var item = NotificationRecords.NewItem(NotificationRecords.NewNotification(), NotificationSendChannel.Sms);
            var key = MessageKeys.For(item.DeliveryId);
            var data = new TheoryData<bool, byte[]?, byte[], string>();
            foreach (var express in new[] { false, true })
            {
                data.Add(express, null, MessageJson.Serialize(item), "no key; send records are keyed by their deliveryId");
                data.Add(express, key, "not json"u8.ToArray(), "not an NotificationSendItem");
                data.Add(express, MessageKeys.For(item.DeliveryId + 1), MessageJson.Serialize(item), $"not the deliveryId {item.DeliveryId}");
                data.Add(express, key, MessageJson.Serialize(item with { NotificationId = 0 }), "no notificationId");
                data.Add(express, key, MessageJson.Serialize(item with { Dispatch = 0 }), "dispatch must be 1 or more");
                data.Add(express, key, MessageJson.Serialize(item with { Channel = (NotificationSendChannel)7 }), "channel 7 is neither email nor sms");
                data.Add(express, key, MessageJson.Serialize(item with { Address = "" }), "no address");
                data.Add(express, key, MessageJson.Serialize(item with { DueAt = default }), "no dueAt");
            }
            return data;
        }
    }

    [Fact]
    public async Task HandleAsync_SmsDelivery_CallsTheProviderOnceAndReportsSent()
    {
        var notification = await PublishAsync(NotificationRecords.NewNotification());
        var item = NotificationRecords.NewItem(notification, NotificationSendChannel.Sms);

        await ProduceAsync(item);

        var report = await _reports.WaitForNotificationReportAsync(item.DeliveryId);
        Assert.Equal(new NotificationOutcomeReported(item.DeliveryId, item.NotificationId, 1, NotificationOutcome.Sent, report.OccurredAt), report);
        var request = Assert.Single(fixture.Gateway.RequestsFor(item.DeliveryId));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(long.Parse(SmsRecords.Phone), body.RootElement.GetProperty("phone").GetInt64());
        Assert.Equal(notification.Text, body.RootElement.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("<p>Your order has shipped.</p>")]
    [InlineData(null)]
    public async Task HandleAsync_EmailDelivery_HandsItToTheServerOnceAndReportsSent(string? html)
    {
        var notification = await PublishAsync(NotificationRecords.NewNotification(html));
        var item = NotificationRecords.NewItem(notification, NotificationSendChannel.Email);

        await ProduceAsync(item);

        Assert.Equal(NotificationOutcome.Sent, (await _reports.WaitForNotificationReportAsync(item.DeliveryId)).Outcome);
        var email = Assert.Single(fixture.Smtp.Received, received => received.EnvelopeTo.Contains(item.Address)).Message;
        // Without HTML, a text-only email.
        Assert.Equal(html, email.HtmlBody);
        Assert.Equal(notification.Text, email.TextBody?.TrimEnd());
        Assert.Equal(notification.Subject, email.Subject);
        Assert.Equal(item.Name, email.To.Mailboxes.Single().Name);
        Assert.Equal(EmailRecords.Sender.Email, email.From.Mailboxes.Single().Address);
        Assert.Equal($"n.{item.NotificationId}.{item.DeliveryId}@shop.example", email.MessageId);
    }

    [Fact]
    public async Task HandleAsync_WithTraceparent_TheCallAndTheReportContinueTheRecordsTrace()
    {
        var notification = await PublishAsync(NotificationRecords.NewNotification());
        var item = NotificationRecords.NewItem(notification, NotificationSendChannel.Sms, express: true);
        var traceId = ActivityTraceId.CreateRandom();
        var headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes($"00-{traceId}-{ActivitySpanId.CreateRandom()}-01") } };

        await _producer.ProduceAsync(KafkaTopics.NotificationsExpress, NotificationRecords.Message(item, headers));

        var report = Assert.Single(await _reports.WaitForAsync(record => record.IsFor(item.DeliveryId)));
        Assert.Equal(traceId, KafkaTracing.ParseTraceParent(Assert.Single(fixture.Gateway.RequestsFor(item.DeliveryId)).TraceParent).TraceId);
        Assert.Equal(traceId, KafkaTracing.ParseTraceParent(report.Header("traceparent")).TraceId);
    }

    [Fact]
    public async Task HandleAsync_ProviderAnswers429_ReportsRetryWithItsRetryAfter()
    {
        var notification = await PublishAsync(NotificationRecords.NewNotification());
        var item = NotificationRecords.NewItem(notification, NotificationSendChannel.Sms);
        fixture.Gateway.Answer(item.DeliveryId, StandInAnswer.Status(429, """{"error":"slow down"}""", retryAfter: "120"));

        await ProduceAsync(item);

        var report = await _reports.WaitForNotificationReportAsync(item.DeliveryId);
        Assert.Equal(NotificationOutcome.Retry, report.Outcome);
        Assert.Contains("429", report.Error);
        Assert.InRange(report.RetryNotBefore!.Value, report.OccurredAt.AddSeconds(110), report.OccurredAt.AddSeconds(130));
    }

    [Fact]
    public async Task HandleAsync_ServerRefusesTheRecipient_ReportsFailedWithTheReply()
    {
        var notification = await PublishAsync(NotificationRecords.NewNotification());
        var item = NotificationRecords.NewItem(notification, NotificationSendChannel.Email);
        fixture.Smtp.AnswerFor(item.Address, StandInSmtpAnswer.Reply(SmtpStage.RcptTo, 550, "No such mailbox"));

        await ProduceAsync(item);

        var report = await _reports.WaitForNotificationReportAsync(item.DeliveryId);
        Assert.Equal(NotificationOutcome.Failed, report.Outcome);
        Assert.Contains("550", report.Error);
    }

    [Fact]
    public async Task HandleAsync_PhoneTheProviderCannotTake_ReportsFailedWithoutCalling()
    {
        var notification = await PublishAsync(NotificationRecords.NewNotification());
        var item = NotificationRecords.NewItem(notification, NotificationSendChannel.Sms) with { Address = "+7 900 123" };

        await ProduceAsync(item);

        var report = await _reports.WaitForNotificationReportAsync(item.DeliveryId);
        Assert.Equal(NotificationOutcome.Failed, report.Outcome);
        Assert.Contains("is not 11 to 15 digits", report.Error);
        Assert.Empty(fixture.Gateway.RequestsFor(item.DeliveryId));
    }

    [Fact]
    public async Task HandleAsync_RecordReplayedAfterItWasSent_ReportsSentAgainWithoutASecondCall()
    {
        var notification = await PublishAsync(NotificationRecords.NewNotification());
        var item = NotificationRecords.NewItem(notification, NotificationSendChannel.Sms);
        await ProduceAsync(item);
        Assert.Equal(NotificationOutcome.Sent, (await _reports.WaitForNotificationReportAsync(item.DeliveryId)).Outcome);

        // A replay of the outbox (or a redelivery after a crash) brings the same record again.
        await ProduceAsync(item);

        Assert.Equal(NotificationOutcome.Sent, (await _reports.WaitForNotificationReportAsync(item.DeliveryId, count: 2)).Outcome);
        Assert.Single(fixture.Gateway.RequestsFor(item.DeliveryId));
    }

    [Fact]
    public async Task HandleAsync_DeliveryIdEqualToAnSmsMessagesId_IsSentAsADeliveryOfItsOwn()
    {
        // An SMS of a mailing sent with the same number as id: its sent marker is the SMS channel's, not this delivery's.
        var mailingItem = SmsRecords.NewItem();
        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(mailingItem));
        using var smsReports = new TopicReader(fixture.Kafka, KafkaTopics.MessagesStatus);
        Assert.Equal(SmsOutcome.Sent, (await smsReports.WaitForReportAsync(mailingItem.MessageId)).Outcome);
        var notification = await PublishAsync(NotificationRecords.NewNotification());
        var item = NotificationRecords.NewItem(notification, NotificationSendChannel.Sms) with { DeliveryId = mailingItem.MessageId };

        await ProduceAsync(item);

        Assert.Equal(NotificationOutcome.Sent, (await _reports.WaitForNotificationReportAsync(item.DeliveryId)).Outcome);
        Assert.Equal(2, fixture.Gateway.RequestsFor(item.DeliveryId).Count);
    }

    [Fact]
    public async Task HandleAsync_NotificationCancelled_NeitherSendsNorReports()
    {
        var notification = await PublishAsync(NotificationRecords.NewNotification() with { Cancelled = true });
        var sms = NotificationRecords.NewItem(notification, NotificationSendChannel.Sms);
        var email = NotificationRecords.NewItem(notification, NotificationSendChannel.Email, express: true);

        var deliveries = new[] { await ProduceAsync(sms), await ProduceAsync(email) };

        // The offsets are committed only once the records were handled.
        foreach (var (delivery, group) in deliveries.Zip([NotificationLane.OrdinaryKey, NotificationLane.ExpressKey]))
        {
            await Eventually.UntilAsync(
                async () => await fixture.Kafka.CommittedOffsetAsync(group, delivery.TopicPartition) > delivery.Offset.Value,
                KafkaFixture.Patience, $"the cancelled notification's record on {delivery.Topic} to be committed");
        }
        Assert.Empty(fixture.Gateway.RequestsFor(sms.DeliveryId));
        Assert.DoesNotContain(fixture.Smtp.Received, received => received.EnvelopeTo.Contains(email.Address));
        Assert.DoesNotContain(await _reports.ReadToEndAsync(), record => record.IsFor(sms.DeliveryId) || record.IsFor(email.DeliveryId));
    }

    [Fact]
    public async Task HandleAsync_ChangeArrivesAfterTheSendRecord_WaitsForItAndSends()
    {
        var notification = NotificationRecords.NewNotification();
        var item = NotificationRecords.NewItem(notification, NotificationSendChannel.Email, express: true);
        var logs = fixture.Worker.Services.GetFakeLogCollector();

        await ProduceAsync(item);
        await Eventually.UntilAsync(
            () => Task.FromResult(logs.GetSnapshot().Any(log => log.Message.Contains($"delivery {item.DeliveryId}: its content is not read"))),
            KafkaFixture.Patience, "the delivery to wait for its notification's content");
        await PublishAsync(notification);

        Assert.Equal(NotificationOutcome.Sent, (await _reports.WaitForNotificationReportAsync(item.DeliveryId)).Outcome);
        Assert.Single(fixture.Smtp.Received, received => received.EnvelopeTo.Contains(item.Address));
    }

    [Fact]
    public async Task HandleAsync_ChangeNeverArrives_ReportsRetryAfterTheWait()
    {
        var item = NotificationRecords.NewItem(NotificationRecords.NewNotification(), NotificationSendChannel.Sms);

        await ProduceAsync(item);

        var report = await _reports.WaitForNotificationReportAsync(item.DeliveryId);
        Assert.Equal(NotificationOutcome.Retry, report.Outcome);
        Assert.Contains("not known yet", report.Error);
        Assert.Empty(fixture.Gateway.RequestsFor(item.DeliveryId));
    }

    [Theory]
    [MemberData(nameof(UnreadableRecords))]
    public async Task HandleAsync_UnreadableRecord_IsDeadLetteredWithTheReasonOnItsTopicsDeadLetterTopic(
        bool express, byte[]? key, byte[] value, string expectedReason)
    {
        var topic = express ? KafkaTopics.NotificationsExpress : KafkaTopics.NotificationsSend;
        using var deadLetters = new TopicReader(fixture.Kafka, express ? KafkaTopics.NotificationsExpressDeadLetter : KafkaTopics.NotificationsSendDeadLetter);
        var callsBefore = fixture.Gateway.Requests.Count;

        var unreadable = await _producer.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = key, Value = value });

        var source = $"{topic}/{unreadable.Partition.Value}/{unreadable.Offset.Value}";
        var deadLetter = Assert.Single(await deadLetters.WaitForAsync(record => record.Header(DeadLetterHeaders.Source) == source));
        Assert.Equal(value, deadLetter.Message.Value ?? []);
        Assert.Contains(expectedReason, deadLetter.Header(DeadLetterHeaders.Reason));
        Assert.Equal(callsBefore, fixture.Gateway.Requests.Count);
    }

    public void Dispose()
    {
        _reports.Dispose();
        _producer.Dispose();
    }

    private async Task<NotificationChanged> PublishAsync(NotificationChanged notification)
    {
        await _producer.ProduceAsync(KafkaTopics.NotificationsChanges, NotificationRecords.Change(notification));
        return notification;
    }

    private Task<DeliveryResult<byte[]?, byte[]>> ProduceAsync(NotificationSendItem item) =>
        _producer.ProduceAsync(NotificationRecords.TopicOf(item), NotificationRecords.Message(item));
}
