using System.Diagnostics;
using EmbeddedKafka;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>
/// One pipeline with both stand-ins for <see cref="NotificationProcessFailureTests"/>, warmed by a notification through
/// every consumer: each test makes its own users and notifications and asserts only about those, so neither depends on
/// the other or on their order.
/// </summary>
public sealed class NotificationPipelineFixture : IAsyncLifetime
{
    public RunningPipeline Pipeline { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Pipeline = await RunningPipeline.StartAsync(WorkerSettings.Quick, withSms: true, withEmail: true);
        // A notification through the whole system first: every consumer has its partitions before a test breaks something.
        var user = await Pipeline.ImportUsersAsync(1, firstPhone: 79_005_999_999);
        using var client = Pipeline.CreateApiClient();
        var id = await PipelineNotifications.CreateNotificationAsync(client, user, "email", "sms", "inApp");
        await Pipeline.WaitDoneAsync([id], NotificationProcessFailureTests.Timeout);
    }

    public async Task DisposeAsync()
    {
        // Null when the start failed: StartAsync has then disposed what it started.
        if (Pipeline is not null)
        {
            await Pipeline.DisposeAsync();
        }
    }
}

/// <summary>
/// Notifications through the real processes when something fails (issue 18): every Kafka broker down for 30 s while
/// 1,000 notifications are created, and kill -9 of TaskWorker mid-notification. Every delivery ends sent and every
/// notification done; the SMTP server and the SMS provider receive each delivery once, except, after a kill, those in
/// flight at it.
/// </summary>
public sealed class NotificationProcessFailureTests(NotificationPipelineFixture fixture) : IClassFixture<NotificationPipelineFixture>
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);
    private const int Notifications = 1000;

    /// <summary>The POSTs answered before Kafka goes down; the rest are created during the outage.</summary>
    private const int CreatedBeforeOutage = 100;
    private const int Recipients = 2000;
    private readonly RunningPipeline _pipeline = fixture.Pipeline;

    [Fact]
    public async Task KafkaDown30sDuringNotifications_EveryDeliveryFinalAndHandedOverOnce()
    {
        var users = await _pipeline.ImportUsersAsync(Notifications, firstPhone: 79_006_000_000);
        using var client = _pipeline.CreateApiClient();
        var created = new List<long>();
        var answered = 0;
        var outage = new Stopwatch();
        try
        {
            await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) =>
            {
                var id = await PipelineNotifications.CreateNotificationAsync(client, [user], "email", "sms", "inApp");
                lock (created)
                {
                    created.Add(id);
                }
                if (Interlocked.Increment(ref answered) == CreatedBeforeOutage)
                {
                    _pipeline.Kafka.SetBrokerDown(KafkaMockCluster.AllBrokers);
                    outage.Start();
                }
            });
            Assert.True(outage.IsRunning, "Kafka never went down");
            // TaskApi's readiness includes Kafka: once it reports the outage, the outage is real to it.
            await Eventually.UntilAsync(async () => !(await client.GetAsync("/health")).IsSuccessStatusCode, Outage, "TaskApi to see Kafka down");
            // The 30 s outage itself is what the test is about (issue 18's figure), not a wait for a condition: Kafka stays
            // down for the rest of it whatever the POSTs took.
            var rest = Outage - outage.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }
        finally
        {
            _pipeline.Kafka.SetBrokerUp(KafkaMockCluster.AllBrokers);
        }

        var deliveries = await _pipeline.WaitDoneAsync(created, Timeout);
        Assert.Equal(Notifications * 3, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal("sent", d.Status));
        // No process died, so there was no crash window: each email and SMS reached its server exactly once.
        var emailsReceived = EmailsReceivedByDelivery(deliveries);
        var smsReceived = SmsReceivedByDelivery(deliveries);
        Assert.All(deliveries.Where(d => d.Channel == "email"), d => Assert.Equal([d.Address!], emailsReceived[d.Id].Select(e => e.EnvelopeTo.Single())));
        Assert.All(deliveries.Where(d => d.Channel == "sms"), d => Assert.Single(smsReceived[d.Id]));
    }

    [Fact]
    public async Task WorkerKilledMidNotification_EveryDeliverySentAndOnlyInFlightOnesTwice()
    {
        var users = await _pipeline.ImportUsersAsync(Recipients, firstPhone: 79_007_000_000);
        // The ids the notification's deliveries get (one sequence, one statement), so the SMS provider can be told to
        // take a little while with each before they exist; the SMTP server is told by address.
        var deliveryIds = await _pipeline.DeliveryIdsOfNextNotificationAsync(Recipients * 2);
        foreach (var id in deliveryIds)
        {
            _pipeline.Gateway!.Answer(id, StandInAnswer.AcceptedAfter(TimeSpan.FromMilliseconds(20)));
        }
        foreach (var user in users)
        {
            _pipeline.Smtp!.AnswerFor(user.Email, StandInSmtpAnswer.Delayed(TimeSpan.FromMilliseconds(10)));
        }
        using var client = _pipeline.CreateApiClient();
        var notificationId = await PipelineNotifications.CreateNotificationAsync(client, users, "email", "sms");
        var ours = deliveryIds.ToHashSet();
        // 600 emails take the four SMTP sessions at least 1.5 s (10 ms each at the stand-in): the kill lands mid-send.
        await Eventually.UntilAsync(() => Task.FromResult(SmsSentTo(ours) >= 300 && EmailsSentTo(ours) >= 600), Timeout, "300 SMS and 600 emails before the kill");

        await _pipeline.Workers[^1].KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        // Nothing writes a sent marker until the next worker starts: these are the ones the dead worker left.
        var markedAtKill = await _pipeline.SentMarkedAsync(deliveryIds);
        Assert.True(SmsSentTo(ours) < Recipients && EmailsSentTo(ours) < Recipients, "the kill came after a channel's sends were all received");
        await _pipeline.StartWorkerAsync();

        var deliveries = await _pipeline.WaitDoneAsync([notificationId], Timeout);
        Assert.Equal(deliveryIds.Order(), deliveries.Select(d => d.Id).Order());
        Assert.All(deliveries, d => Assert.Equal("sent", d.Status));
        var emailsReceived = EmailsReceivedByDelivery(deliveries);
        var smsReceived = SmsReceivedByDelivery(deliveries);
        Assert.All(deliveries.Where(d => d.Channel == "email"), d => Assert.All(emailsReceived[d.Id], e => Assert.Equal(d.Address, e.EnvelopeTo.Single())));
        var emailsTwice = emailsReceived.Where(e => e.Value.Count > 1).ToDictionary(e => e.Key, e => e.Value.Min(r => r.ReceivedAt));
        var smsTwice = smsReceived.Where(s => s.Value.Count > 1).ToDictionary(s => s.Key, s => s.Value.Min(r => r.ReceivedAt));
        // Only a send in flight at the kill may be handed over again: one the dead worker had handed over and not yet marked
        // sent (the next worker finds every marker and calls no one for it). Sends it wrote just before it died may still be
        // in the stand-ins' sockets and queues when it is gone: a second's margin, far less than the restart takes.
        Assert.All(emailsTwice.Concat(smsTwice), twice =>
        {
            Assert.False(markedAtKill.Contains(twice.Key), $"delivery {twice.Key} was marked sent before the kill, and was handed over again");
            Assert.True(twice.Value <= killedAt.AddSeconds(1),
                $"delivery {twice.Key} was first received at {twice.Value:O}, more than a second after the worker was dead ({killedAt:O}), and again");
        });
        // At the SMTP server the worker had one email per session (Smtp:MaxConnections, 4) waiting for its answer, and those
        // answered whose marker it had not written yet; on a loaded machine the marker follows the answer by up to half a
        // second (measured), in which each session hands over an email every 10 ms or more: 4 × 100 in a second at most.
        Assert.True(emailsTwice.Count <= 400, $"{emailsTwice.Count} emails were received twice; at most those in flight at the kill may be.");
        // At the provider a worker has at most one send per connection (Sms:MaxConnections, 256) and a few between an
        // answer and its sent marker.
        Assert.True(smsTwice.Count <= 512, $"{smsTwice.Count} SMS were sent twice; at most the worker's sends in flight at the provider may be.");
    }

    /// <summary>The emails the SMTP server received for each email delivery of <paramref name="deliveries"/>; asserts every one received.</summary>
    private Dictionary<long, List<ReceivedEmail>> EmailsReceivedByDelivery(List<PipelineDelivery> deliveries)
    {
        var ids = deliveries.Where(d => d.Channel == "email").Select(d => d.Id).ToHashSet();
        var received = _pipeline.Smtp!.Received.Where(e => PipelineNotifications.DeliveryIdOf(e) is { } id && ids.Contains(id))
            .GroupBy(e => PipelineNotifications.DeliveryIdOf(e)!.Value).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(ids.Order(), received.Keys.Order());
        return received;
    }

    /// <summary>The requests the SMS provider received for each SMS delivery of <paramref name="deliveries"/>; asserts every one received.</summary>
    private Dictionary<long, List<GatewayRequest>> SmsReceivedByDelivery(List<PipelineDelivery> deliveries)
    {
        var ids = deliveries.Where(d => d.Channel == "sms").Select(d => d.Id).ToHashSet();
        var received = _pipeline.Gateway!.Requests.Where(r => ids.Contains(r.MessageId)).GroupBy(r => r.MessageId).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(ids.Order(), received.Keys.Order());
        return received;
    }

    private int SmsSentTo(HashSet<long> deliveryIds) => _pipeline.Gateway!.Requests.Where(r => deliveryIds.Contains(r.MessageId)).Select(r => r.MessageId).Distinct().Count();

    private int EmailsSentTo(HashSet<long> deliveryIds) =>
        _pipeline.Smtp!.Received.Select(PipelineNotifications.DeliveryIdOf).Where(id => id is { } known && deliveryIds.Contains(known)).Distinct().Count();
}
