using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskWorker.Tests.Notifications;

/// <summary>
/// Express deliveries overtake whatever else waits in the worker: consumers, an in-flight budget and connections of
/// their own, and first claim on the providers' rate limits.
/// </summary>
[Collection(nameof(AloneCollection))]
public sealed class ExpressLaneTests
{
    // Per channel: 20,000 queued sends in all, which at MaxPerSecond take minutes to drain. They need not: the test ends
    // once the express deliveries are in.
    private const int BacklogPerChannel = 10_000;
    private const int MaxPerSecond = 50;

    // Behind the backlog without priority, the express SMS would wait for every SMS record in flight (Sms:MaxInFlight,
    // 10,000: 200 s) and the express email for those of emails.send (Smtp:MaxInFlight, 1,000: 20 s). With it, what goes
    // ahead is what the providers took in the second or so the express records need to be read: this bound leaves ten
    // seconds for that on a loaded machine.
    private const int MostAheadOfExpress = 10 * MaxPerSecond;

    [Fact]
    public async Task ExpressDelivery_BehindABacklogOf20000QueuedSends_IsHandedOverWhileMostOfTheBacklogStillWaits()
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var gateway = await StandInSmsGateway.StartAsync();
        await using var smtp = await StandInSmtpServer.StartAsync();
        await using var worker = WorkerFactory.Start(kafka, NotificationWorkerFixture.SendingNotifications(redis, gateway, smtp,
            ("Sms:MaxPerSecond", MaxPerSecond.ToString()),
            ("Smtp:MaxPerSecond", MaxPerSecond.ToString()),
            // The backlog's runs are abandoned at the end rather than waited for.
            ("Worker:ShutdownGrace", "00:00:01")));
        using var reports = new TopicReader(kafka, KafkaTopics.NotificationsStatus);
        var meterFactory = worker.Services.GetRequiredService<IMeterFactory>();
        using var handled = new InstrumentRecorder(meterFactory, "notification.deliveries.handled");
        using var latency = new InstrumentRecorder(meterFactory, "notification.express.latency");
        using var producer = kafka.CreateProducer();
        await Task.WhenAll(
            Enumerable.Range(0, BacklogPerChannel).Select(_ => producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(SmsRecords.NewItem())))
                .Concat(Enumerable.Range(0, BacklogPerChannel).Select(_ => producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(EmailRecords.NewReport())))));
        await Eventually.UntilAsync(
            () => Task.FromResult(gateway.Requests.Count > 0 && smtp.ReceivedCount > 0),
            KafkaFixture.Patience, "the backlog to reach the provider and the server");

        var notification = NotificationRecords.NewNotification();
        await producer.ProduceAsync(KafkaTopics.NotificationsChanges, NotificationRecords.Change(notification));
        var sms = NotificationRecords.NewItem(notification, NotificationSendChannel.Sms, express: true);
        var email = NotificationRecords.NewItem(notification, NotificationSendChannel.Email, express: true);
        await Task.WhenAll(
            producer.ProduceAsync(KafkaTopics.NotificationsExpress, NotificationRecords.Message(sms)),
            producer.ProduceAsync(KafkaTopics.NotificationsExpress, NotificationRecords.Message(email)));

        Assert.Equal(NotificationOutcome.Sent, (await reports.WaitForNotificationReportAsync(sms.DeliveryId)).Outcome);
        Assert.Equal(NotificationOutcome.Sent, (await reports.WaitForNotificationReportAsync(email.DeliveryId)).Outcome);
        var smsAhead = gateway.Requests.TakeWhile(request => request.MessageId != sms.DeliveryId).Count();
        var emailsAhead = smtp.Received.TakeWhile(received => !received.EnvelopeTo.Contains(email.Address)).Count();
        Assert.True(smsAhead <= MostAheadOfExpress, $"{smsAhead} of the {BacklogPerChannel} queued SMS reached the provider before the express one.");
        Assert.True(emailsAhead <= MostAheadOfExpress, $"{emailsAhead} of the {BacklogPerChannel} queued emails reached the server before the express one.");
        await Eventually.UntilAsync(() => Task.FromResult(handled.Total == 2), KafkaFixture.Patience, "both deliveries to be counted");
        Assert.Equal(2, latency.Count);
    }
}
