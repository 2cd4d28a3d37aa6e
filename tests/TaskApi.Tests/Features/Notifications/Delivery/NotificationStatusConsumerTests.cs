using TaskApi.Features.Notifications;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Notifications.Delivery;

/// <summary>The workers' reports on notifications.status, produced as TaskWorker would, and cancelling a notification.</summary>
public sealed class NotificationStatusConsumerTests(NotificationStatusConsumerTests.MinuteRetriesApi api)
    : IClassFixture<NotificationStatusConsumerTests.MinuteRetriesApi>, IDisposable
{
    /// <summary>Retries a minute (±50 %) after the first failure, at most three attempts.</summary>
    public sealed class MinuteRetriesApi : TaskApiFactory
    {
        public MinuteRetriesApi()
        {
            Settings["Notifications:Retries:BaseDelay"] = "00:01:00";
            Settings["Notifications:MaxAttempts"] = "3";
        }
    }

    private readonly NotificationScenario _scenario = new(api);

    [Fact]
    public async Task Report_SentAndFailed_SettlesTheDeliveriesAndTheNotificationIsDoneWithATombstone()
    {
        var userId = await _scenario.UserAsync();
        var id = await _scenario.NotifyAsync([userId], ["email", "sms"]);
        var deliveries = await _scenario.DeliveriesAsync(id);
        var (email, sms) = (deliveries.Single(d => d.Channel == DeliveryChannel.Email), deliveries.Single(d => d.Channel == DeliveryChannel.Sms));
        var sentAt = DateTimeOffset.UtcNow.AddSeconds(-1);

        await _scenario.ReportAsync(email, NotificationOutcome.Sent, occurredAt: sentAt);
        await _scenario.ReportAsync(sms, NotificationOutcome.Failed, error: "400 invalid number");

        var sent = await _scenario.DeliveryWhenAsync(email.Id, d => d.Status == DeliveryStatus.Sent, "sent");
        Assert.Equal((1, sentAt.ToUnixTimeMilliseconds()), (sent.Attempts, sent.SentAt!.Value.ToUnixTimeMilliseconds()));
        var failed = await _scenario.DeliveryWhenAsync(sms.Id, d => d.Status == DeliveryStatus.Failed, "failed");
        Assert.Equal((1, "400 invalid number"), (failed.Attempts, failed.LastError));
        await _scenario.NotificationWhenAsync(id, NotificationStatus.Done);
        var changes = await _scenario.RecordsAsync(KafkaTopics.NotificationsChanges, id, 2);
        Assert.NotNull(changes[0].Message.Value);
        Assert.Null(changes[1].Message.Value);
    }

    [Fact]
    public async Task Report_Retry_WaitsForTheBackoffAndItsDueRecordDispatchesAgain()
    {
        var id = await _scenario.NotifyAsync([await _scenario.UserAsync()], ["email"]);
        var delivery = Assert.Single(await _scenario.DeliveriesAsync(id));
        var failedAt = DateTimeOffset.UtcNow;
        var retryAfter = failedAt.AddMinutes(5);

        await _scenario.ReportAsync(delivery, NotificationOutcome.Retry, error: "451 try later", occurredAt: failedAt, retryNotBefore: retryAfter);

        var waiting = await _scenario.DeliveryWhenAsync(delivery.Id, d => d.Attempts == 1, "waiting for a retry");
        Assert.Equal((DeliveryStatus.Pending, 1, (DateTimeOffset?)null, "451 try later"), (waiting.Status, waiting.Dispatch, waiting.DispatchedAt, waiting.LastError));
        // Not before the provider's Retry-After, which is later than the backoff (30 to 90 s).
        Assert.Equal(retryAfter.ToUnixTimeMilliseconds(), waiting.DueAt!.Value.ToUnixTimeMilliseconds());
        Assert.Single(await _scenario.SchedulerRequestsAsync(id, [waiting.DueAt.Value]));

        // The same report again changes nothing: it is no longer about a record in flight.
        await _scenario.ReportAsync(delivery, NotificationOutcome.Retry, error: "451 again", occurredAt: failedAt);
        await _scenario.ReportsHandledAsync(delivery.Id);
        await _scenario.DueAsync(id, waiting.DueAt.Value);

        var again = await _scenario.DeliveryWhenAsync(delivery.Id, d => d.Dispatch == 2, "dispatched again");
        Assert.Equal((1, "451 try later"), (again.Attempts, again.LastError));
        var records = await _scenario.RecordsAsync(KafkaTopics.NotificationsSend, delivery.Id, 2);
        Assert.Equal([1, 2], records.Select(r => MessageJson.Deserialize<NotificationSendItem>(r.Message.Value).Dispatch));
    }

    [Fact]
    public async Task Report_OfAnEarlierDispatch_ChangesNothingUnlessSentAndTheLastAttemptFails()
    {
        var id = await _scenario.NotifyAsync([await _scenario.UserAsync()], ["sms"]);
        var delivery = Assert.Single(await _scenario.DeliveriesAsync(id));
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await _scenario.ReportAsync(delivery, NotificationOutcome.Retry, dispatch: attempt, error: $"503 attempt {attempt}");
            var waiting = await _scenario.DeliveryWhenAsync(delivery.Id, d => d.Attempts == attempt, $"attempt {attempt} applied");
            await _scenario.DueAsync(id, waiting.DueAt!.Value);
            await _scenario.DeliveryWhenAsync(delivery.Id, d => d.Dispatch == attempt + 1, $"dispatch {attempt + 1}");
        }

        // A late failure of dispatch 1 is ignored; the third attempt's retry is the last: failed.
        await _scenario.ReportAsync(delivery, NotificationOutcome.Failed, dispatch: 1, error: "late");
        await _scenario.ReportAsync(delivery, NotificationOutcome.Retry, dispatch: 3, error: "503 attempt 3");

        var failed = await _scenario.DeliveryWhenAsync(delivery.Id, d => d.Status == DeliveryStatus.Failed, "failed");
        Assert.Equal((3, "503 attempt 3"), (failed.Attempts, failed.LastError));
        // A report about a final delivery changes nothing.
        await _scenario.ReportAsync(delivery, NotificationOutcome.Sent, dispatch: 3);
        await _scenario.ReportsHandledAsync(delivery.Id);
        await _scenario.NotificationWhenAsync(id, NotificationStatus.Done);
        var settled = Assert.Single(await _scenario.DeliveriesAsync(id));
        Assert.Equal((DeliveryStatus.Failed, (DateTimeOffset?)null), (settled.Status, settled.SentAt));
    }

    [Fact]
    public async Task Cancel_SendingNotification_TellsTheWorkersItIsCancelledThenForgetsIt()
    {
        var id = await _scenario.NotifyAsync([await _scenario.UserAsync()], ["email"]);

        var response = await _scenario.Http.DeleteAsync($"/notifications/{id}");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var changes = await _scenario.RecordsAsync(KafkaTopics.NotificationsChanges, id, 3);
        Assert.False(MessageJson.Deserialize<NotificationChanged>(changes[0].Message.Value).Cancelled);
        Assert.True(MessageJson.Deserialize<NotificationChanged>(changes[1].Message.Value).Cancelled);
        Assert.Null(changes[2].Message.Value);
    }

    public void Dispose() => _scenario.Dispose();
}
