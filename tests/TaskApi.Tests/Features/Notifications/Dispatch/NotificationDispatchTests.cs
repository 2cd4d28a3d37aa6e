using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using EmbeddedKafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaskApi.Features.Feed;
using TaskApi.Features.Notifications;
using TaskApi.Features.Tasks;
using TaskApi.Infrastructure;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Notifications.Dispatch;

/// <summary>
/// The dispatch at creation and on <c>notifications.due</c>: send records on the send and express topics, in-app
/// deliveries into the feed, send times, burst spreading, quiet hours and the per-user cap.
/// </summary>
public sealed class NotificationDispatchTests(NotificationDispatchTests.SmallBurstsApi api) : IClassFixture<NotificationDispatchTests.SmallBurstsApi>, IDisposable
{
    /// <summary>Bursts of 3, then 2 a second; at most 2 notifications a user an hour; Kafka deliveries time out after 1.5 s.</summary>
    public sealed class SmallBurstsApi : TaskApiFactory
    {
        public SmallBurstsApi()
        {
            Settings["Notifications:BurstSize"] = "3";
            Settings["Notifications:BurstPerSecond"] = "2";
            Settings["Notifications:MaxPerUserPerHour"] = "2";
            Settings["Notifications:From"] = "alerts@example.com";
            // Kafka deliveries time out after 1.5 s, so an outage shows as failed attempts quickly.
            Settings["Aspire:Confluent:Kafka:Producer:Config:message.timeout.ms"] = "1500";
        }
    }

    private readonly NotificationScenario _scenario = new(api);

    [Fact]
    public async Task Create_EmailAndSms_PublishesTheContentAndASendRecordPerDeliveryOnTheSendTopic()
    {
        var userId = await _scenario.UserAsync(name: "Ana");

        var id = await _scenario.NotifyAsync([userId], ["email", "sms"]);

        var deliveries = await _scenario.DeliveriesAsync(id);
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Pending, 1), (d.Status, d.Dispatch)));
        Assert.All(deliveries, d => Assert.NotNull(d.DispatchedAt));
        var sent = await _scenario.ReadAsync<NotificationSendItem>(KafkaTopics.NotificationsSend, deliveries.Select(d => d.Id));
        var email = sent[deliveries.Single(d => d.Channel == DeliveryChannel.Email).Id.ToString()];
        var sms = sent[deliveries.Single(d => d.Channel == DeliveryChannel.Sms).Id.ToString()];
        Assert.Equal((id, NotificationSendChannel.Email, $"{userId}@example.com", "Ana", 1, false), (email.NotificationId, email.Channel, email.Address, email.Name, email.Dispatch, email.Express));
        Assert.Equal((NotificationSendChannel.Sms, deliveries.Single(d => d.Channel == DeliveryChannel.Sms).Address), (sms.Channel, sms.Address));
        var content = (await _scenario.ReadAsync<NotificationChanged>(KafkaTopics.NotificationsChanges, [id]))[id.ToString()];
        Assert.Equal(("alerts@example.com", "Your order shipped", "Order 42 is on its way.", false), (content.From.Email, content.Subject, content.Text, content.Cancelled));
        Assert.Empty(await _scenario.OutboxAsync(KafkaTopics.NotificationsExpress, email.DeliveryId.ToString()));
    }

    [Fact]
    public async Task Create_InATrace_SendRecordsCarryTheRequestsTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notifications") { Content = JsonContent.Create(NotificationTesting.Body([await _scenario.UserAsync()], "sms")) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var outsideClient = api.CreateOutsideClient();

        var id = (await (await outsideClient.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>()).Id();

        var delivery = Assert.Single(await _scenario.DeliveriesAsync(id));
        var record = Assert.Single(await _scenario.RecordsAsync(KafkaTopics.NotificationsSend, delivery.Id, 1));
        Assert.Equal(traceId, ActivityContext.Parse(record.Header("traceparent")!, null).TraceId);
    }

    [Fact]
    public async Task Create_Express_PublishesOnTheExpressTopicInTheExpressLane()
    {
        var userId = await _scenario.UserAsync();

        var id = await _scenario.NotifyAsync([userId], ["email", "sms"], express: true);

        var deliveries = await _scenario.DeliveriesAsync(id);
        var sent = await _scenario.ReadAsync<NotificationSendItem>(KafkaTopics.NotificationsExpress, deliveries.Select(d => d.Id));
        Assert.All(sent.Values, item => Assert.True(item.Express));
        Assert.Empty(await _scenario.OutboxAsync(KafkaTopics.NotificationsSend, deliveries[0].Id.ToString()));
        // Its content too, so the workers have it before its send records (one lane keeps the order).
        var records = (await _scenario.OutboxAsync(KafkaTopics.NotificationsChanges, id.ToString()))
            .Concat(await _scenario.OutboxAsync(KafkaTopics.NotificationsExpress, deliveries[0].Id.ToString())).ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, record => Assert.True(record.Express));
        Assert.True(records[0].Id < records[1].Id);
    }

    [Fact]
    public async Task Create_InApp_IsSentAtOnceWithAFeedNoticeAndTheNotificationDone()
    {
        var userId = await _scenario.UserAsync();
        await using var listener = new NpgsqlConnection(api.Database.ConnectionString);
        await listener.OpenAsync();
        var notices = new List<string>();
        listener.Notification += (_, e) => notices.Add(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {FeedNotices.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var id = await _scenario.NotifyAsync([userId], ["inApp"]);

        var delivery = Assert.Single(await _scenario.DeliveriesAsync(id));
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.NotNull(delivery.SentAt);
        using var wait = new CancellationTokenSource(NotificationScenario.Timeout);
        while (notices.Count == 0)
        {
            await listener.WaitAsync(wait.Token);
        }
        Assert.Contains($"\"deliveryId\" : {delivery.Id}", notices[0]);
        Assert.Contains(userId, notices[0]);
        await _scenario.NotificationWhenAsync(id, NotificationStatus.Done);
        var changes = await _scenario.RecordsAsync(KafkaTopics.NotificationsChanges, id, 2);
        Assert.Null(changes[1].Message.Value);
    }

    [Fact]
    public async Task Create_SendAtAhead_AsksTheSchedulerOnceAndItsDueRecordDispatchesOnlyOnce()
    {
        var users = new[] { await _scenario.UserAsync(), await _scenario.UserAsync() };
        var sendAt = DateTimeOffset.UtcNow.AddHours(1).TruncateToMicroseconds();

        var id = await _scenario.NotifyAsync(users, ["email", "inApp"], sendAt: sendAt);

        var waiting = await _scenario.DeliveriesAsync(id);
        Assert.All(waiting, d => Assert.Equal((DeliveryStatus.Pending, 0, sendAt), (d.Status, d.Dispatch, d.DueAt)));
        var request = Assert.Single(await _scenario.SchedulerRequestsAsync(id, [sendAt])).Value;
        Assert.Equal((KafkaTopics.NotificationsDue, sendAt), (request.Topic, request.DueAt));
        Assert.Equal(1, await api.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Topic == KafkaTopics.SchedulerRequests && m.Key == System.Text.Encoding.UTF8.GetBytes(NotificationRecords.DueScheduleId(id, sendAt)))));

        await _scenario.DueAsync(id, sendAt);
        await _scenario.NotificationWhenAsync(id, NotificationStatus.Sending);
        await _scenario.DueAsync(id, sendAt);
        await _scenario.DueRecordsHandledAsync(id);

        var dispatched = await _scenario.DeliveriesAsync(id);
        Assert.All(dispatched.Where(d => d.Channel == DeliveryChannel.Email), d => Assert.Equal((DeliveryStatus.Pending, 1), (d.Status, d.Dispatch)));
        Assert.All(dispatched.Where(d => d.Channel == DeliveryChannel.InApp), d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        foreach (var email in dispatched.Where(d => d.Channel == DeliveryChannel.Email))
        {
            Assert.Single(await _scenario.OutboxAsync(KafkaTopics.NotificationsSend, email.Id.ToString()));
        }
    }

    [Fact]
    public async Task Create_MoreThanABurst_SendsTheBurstAndSpreadsTheRestBySecondSlots()
    {
        var users = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            users.Add(await _scenario.UserAsync());
        }

        var id = await _scenario.NotifyAsync(users, ["email"]);

        var deliveries = await _scenario.DeliveriesAsync(id);
        Assert.All(deliveries.Take(3), d => Assert.Equal((1, (DateTimeOffset?)null), (d.Dispatch, d.DueAt)));
        var spread = deliveries.Skip(3).ToList();
        Assert.All(spread, d => Assert.Equal((0, (DateTimeOffset?)null), (d.Dispatch, d.DispatchedAt)));
        var created = deliveries[0].CreatedAt;
        Assert.Equal([created.AddSeconds(1), created.AddSeconds(1), created.AddSeconds(2)], spread.Select(d => d.DueAt!.Value));
        var requests = await _scenario.SchedulerRequestsAsync(id, [created.AddSeconds(1), created.AddSeconds(2)]);
        Assert.Equal(2, requests.Count);
        Assert.Equal(2, await api.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Topic == KafkaTopics.SchedulerRequests && m.CreatedAt == created)));

        // The Scheduler releases the first slot: its two go, the third waits for its own.
        await _scenario.DueAsync(id, created.AddSeconds(1));
        await _scenario.DeliveryWhenAsync(spread[1].Id, d => d.Dispatch == 1, "dispatched at its slot");
        await _scenario.DueRecordsHandledAsync(id);
        Assert.Equal([1, 1, 0], (await _scenario.DeliveriesAsync(id)).Skip(3).Select(d => d.Dispatch));
    }

    [Fact]
    public async Task Create_UsersInTwoZones_WaitsOnlyForTheOneInQuietHoursUntilTheyEnd()
    {
        var now = DateTimeOffset.UtcNow;
        TimeOnly LocalIn(string zone, TimeSpan offset) => TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now + offset, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);
        static TimeOnly Minutes(TimeOnly time) => new(time.Hour, time.Minute);
        // Tokyo: quiet from an hour ago until two hours from now; New York: quiet later today, not now.
        var quiet = await _scenario.UserAsync("Asia/Tokyo", NotificationScenario.QuietHours(Minutes(LocalIn("Asia/Tokyo", TimeSpan.FromHours(-1))), Minutes(LocalIn("Asia/Tokyo", TimeSpan.FromHours(2)))));
        var awake = await _scenario.UserAsync("America/New_York", NotificationScenario.QuietHours(Minutes(LocalIn("America/New_York", TimeSpan.FromHours(3))), Minutes(LocalIn("America/New_York", TimeSpan.FromHours(4)))));

        var id = await _scenario.NotifyAsync([quiet, awake], ["sms", "inApp"]);

        var deliveries = (await _scenario.DeliveriesAsync(id)).ToDictionary(d => (d.UserId, d.Channel));
        var quietEnd = new DateTimeOffset(now.AddHours(2).Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        Assert.Equal((0, quietEnd), (deliveries[(quiet, DeliveryChannel.Sms)].Dispatch, deliveries[(quiet, DeliveryChannel.Sms)].DueAt));
        Assert.Equal((1, (DateTimeOffset?)null), (deliveries[(awake, DeliveryChannel.Sms)].Dispatch, deliveries[(awake, DeliveryChannel.Sms)].DueAt));
        // In-app deliveries disturb nobody: in the feed at once, quiet hours or not.
        Assert.Equal(DeliveryStatus.Sent, deliveries[(quiet, DeliveryChannel.InApp)].Status);
        Assert.Single(await _scenario.SchedulerRequestsAsync(id, [quietEnd]));
    }

    [Fact]
    public async Task Create_OverTheHourlyCap_SkipsTheUsersDeliveriesAsThrottledButNotExpressOnes()
    {
        var capped = await _scenario.UserAsync();
        var fresh = await _scenario.UserAsync();
        await _scenario.NotifyAsync([capped], ["email"]);
        await _scenario.NotifyAsync([capped], ["sms", "inApp"]);

        var third = await _scenario.NotifyAsync([capped, fresh], ["email", "inApp"]);
        var express = await _scenario.NotifyAsync([capped], ["email"], express: true);

        var deliveries = (await _scenario.DeliveriesAsync(third)).ToDictionary(d => (d.UserId, d.Channel));
        Assert.All(deliveries.Where(d => d.Key.UserId == capped), d => Assert.Equal((DeliveryStatus.Skipped, DeliveryReason.Throttled), (d.Value.Status, d.Value.Reason)));
        Assert.Equal((DeliveryStatus.Pending, 1), (deliveries[(fresh, DeliveryChannel.Email)].Status, deliveries[(fresh, DeliveryChannel.Email)].Dispatch));
        Assert.Equal(DeliveryStatus.Sent, deliveries[(fresh, DeliveryChannel.InApp)].Status);
        Assert.Equal(1, Assert.Single(await _scenario.DeliveriesAsync(express)).Dispatch);
    }

    [Fact]
    public async Task Create_KafkaDown_SucceedsAndTheSendRecordIsPublishedOnceKafkaIsBack()
    {
        var userId = await _scenario.UserAsync();
        using var undelivered = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), TaskMetrics.OutboxUndeliveredInstrument);
        api.Kafka.SetBrokerDown(KafkaMockCluster.AllBrokers);
        long id;
        try
        {
            id = await _scenario.NotifyAsync([userId], ["email"]);
            await Eventually.UntilAsync(() => Task.FromResult(undelivered.Total > 0), NotificationScenario.Timeout, "the relay to fail delivering while Kafka is down");
        }
        finally
        {
            api.Kafka.SetBrokerUp(KafkaMockCluster.AllBrokers);
        }

        var delivery = Assert.Single(await _scenario.DeliveriesAsync(id));
        var record = Assert.Single(await _scenario.RecordsAsync(KafkaTopics.NotificationsSend, delivery.Id, 1));
        Assert.Equal(1, MessageJson.Deserialize<NotificationSendItem>(record.Message.Value).Dispatch);
        Assert.Single(await _scenario.OutboxAsync(KafkaTopics.NotificationsSend, delivery.Id.ToString()));
    }

    public void Dispose() => _scenario.Dispose();
}
