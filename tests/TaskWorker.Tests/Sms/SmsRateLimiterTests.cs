using Tasks.Shared;
using Tasks.Testing;

namespace TaskWorker.Tests.Sms;

[Collection(nameof(AloneCollection))]
public sealed class SmsRateLimiterTests
{
    private const int MaxPerSecond = 20;
    private const int MessagesPerWorker = 50;

    [Fact]
    public async Task WaitForPermitAsync_TwoWorkersShareOneRedis_TheProviderNeverGetsMoreThanMaxPerSecondWithinASecond()
    {
        using var redis = RedisServer.Start();
        await using var gateway = await StandInSmsGateway.StartAsync();
        // One cluster per worker: what they share is the Redis (and the provider), as instances of one deployment do.
        using var kafkaA = new KafkaFixture();
        using var kafkaB = new KafkaFixture();
        var limited = WorkerFactory.SendingSms(redis, gateway.BaseUrl, ("Sms:MaxPerSecond", MaxPerSecond.ToString()));
        using var workerA = WorkerFactory.Start(kafkaA, limited);
        using var workerB = WorkerFactory.Start(kafkaB, limited);
        using var reportsA = new TopicReader(kafkaA, KafkaTopics.MessagesStatus);
        using var reportsB = new TopicReader(kafkaB, KafkaTopics.MessagesStatus);

        // A worker's first call opens its connection, which can make it arrive a few hundred ms after its permit; one
        // message each first, so that what is measured is the limiter rather than that.
        await Task.WhenAll(ProduceAsync(kafkaA, 1), ProduceAsync(kafkaB, 1));
        await Task.WhenAll(reportsA.WaitForAsync(_ => true), reportsB.WaitForAsync(_ => true));
        var warmUps = gateway.Requests.Count;

        await Task.WhenAll(ProduceAsync(kafkaA, MessagesPerWorker), ProduceAsync(kafkaB, MessagesPerWorker));

        var reports = (await reportsA.WaitForAsync(_ => true, 1 + MessagesPerWorker, TimeSpan.FromSeconds(60)))
            .Concat(await reportsB.WaitForAsync(_ => true, 1 + MessagesPerWorker, TimeSpan.FromSeconds(60)))
            .Select(record => record.Report()).ToList();
        Assert.All(reports, report => Assert.Equal(SmsOutcome.Sent, report.Outcome));
        var arrivals = gateway.Requests.Skip(warmUps).Select(request => request.ReceivedAt).Order().ToList();
        Assert.Equal(2 * MessagesPerWorker, arrivals.Count);
        Arrivals.AssertWithinSlidingWindow(arrivals, MaxPerSecond, Arrivals.PermitToArrivalJitter);
    }

    private static async Task ProduceAsync(KafkaFixture kafka, int count)
    {
        using var producer = kafka.CreateProducer();
        await Task.WhenAll(Enumerable.Range(0, count)
            .Select(_ => producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(SmsRecords.NewItem()))));
    }
}
