using Tasks.Shared;
using Tasks.Testing;

namespace TaskWorker.Tests.Email;

[Collection(nameof(AloneCollection))]
public sealed class EmailRateLimiterTests
{
    private const int MaxPerSecond = 10;
    private const int EmailsPerWorker = 25;

    [Fact]
    public async Task MaxPerSecond_TwoWorkersShareOneRedis_TheServerNeverGetsMoreThanMaxPerSecondWithinASecond()
    {
        using var redis = RedisServer.Start();
        await using var smtp = await StandInSmtpServer.StartAsync();
        // One cluster per worker: what they share is the Redis (and the server), as instances of one deployment do.
        using var kafkaA = new KafkaFixture();
        using var kafkaB = new KafkaFixture();
        var limited = WorkerFactory.SendingEmail(redis, smtp, ("Smtp:MaxPerSecond", MaxPerSecond.ToString()));
        using var workerA = WorkerFactory.Start(kafkaA, limited);
        using var workerB = WorkerFactory.Start(kafkaB, limited);
        using var reportsA = new TopicReader(kafkaA, KafkaTopics.EmailsStatus);
        using var reportsB = new TopicReader(kafkaB, KafkaTopics.EmailsStatus);
        // A worker's first email opens its session, which makes it arrive later after its permit than the others.
        await Task.WhenAll(ProduceAsync(kafkaA, 1), ProduceAsync(kafkaB, 1));
        await Task.WhenAll(reportsA.WaitForAsync(_ => true), reportsB.WaitForAsync(_ => true));
        var warmUps = smtp.ReceivedCount;

        await Task.WhenAll(ProduceAsync(kafkaA, EmailsPerWorker), ProduceAsync(kafkaB, EmailsPerWorker));

        var reports = (await reportsA.WaitForAsync(_ => true, 1 + EmailsPerWorker, TimeSpan.FromSeconds(60)))
            .Concat(await reportsB.WaitForAsync(_ => true, 1 + EmailsPerWorker, TimeSpan.FromSeconds(60)))
            .Select(record => record.EmailReport()).ToList();
        Assert.All(reports, report => Assert.Equal(EmailOutcome.Sent, report.Outcome));
        var arrivals = smtp.Received.Skip(warmUps).Select(email => email.ReceivedAt).Order().ToList();
        Assert.Equal(2 * EmailsPerWorker, arrivals.Count);
        Arrivals.AssertWithinSlidingWindow(arrivals, MaxPerSecond, Arrivals.PermitToArrivalJitter);
    }

    private static async Task ProduceAsync(KafkaFixture kafka, int count)
    {
        using var producer = kafka.CreateProducer();
        await Task.WhenAll(Enumerable.Range(0, count)
            .Select(_ => producer.ProduceAsync(KafkaTopics.EmailsSend, EmailRecords.Message(EmailRecords.NewReport()))));
    }
}
