using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Delivery;
using TaskWorker.Sms;

namespace TaskWorker.Tests.Sms;

/// <summary>Each test has a cluster of its own, so the committed offsets it reads are its worker's alone.</summary>
public sealed class SmsSendConsumerTests
{
    [Fact]
    public async Task CommittedOffset_RecordWhoseCallTakesLong_CoversItOnlyAfterItsReport()
    {
        var callTime = TimeSpan.FromSeconds(1.5);
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var gateway = await StandInSmsGateway.StartAsync();
        using var worker = WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, gateway.BaseUrl));
        using var producer = kafka.CreateProducer();
        using var reports = new TopicReader(kafka, KafkaTopics.MessagesStatus);
        var item = SmsRecords.NewItem();
        gateway.Answer(item.MessageId, StandInAnswer.AcceptedAfter(callTime));

        var delivery = await producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        await Eventually.UntilAsync(
            async () => await kafka.CommittedOffsetAsync(SmsSendConsumer.GroupId, delivery.TopicPartition) > delivery.Offset.Value,
            KafkaFixture.Patience, "the record to be committed");
        var committedBy = DateTimeOffset.UtcNow;
        var report = await reports.WaitForReportAsync(item.MessageId);
        var request = Assert.Single(gateway.RequestsFor(item.MessageId));
        Assert.Equal(SmsOutcome.Sent, report.Outcome);
        // Timers may end a little before the wall clock says the delay is over: 50 ms of slack, far below the call's 1.5 s.
        Assert.True(report.OccurredAt >= request.ReceivedAt + callTime - TimeSpan.FromMilliseconds(50), $"reported at {report.OccurredAt:O}, called at {request.ReceivedAt:O}");
        Assert.True(report.OccurredAt <= committedBy, $"reported at {report.OccurredAt:O}, committed by {committedBy:O}");
    }

    [Fact]
    public async Task Start_WithoutSmsBaseUrl_RunsNoSmsConsumerAndNeedsNoRedis()
    {
        using var kafka = new KafkaFixture();

        using var worker = WorkerFactory.Start(kafka);

        var hostedServices = worker.Services.GetServices<IHostedService>().Select(service => service.GetType()).ToList();
        Assert.DoesNotContain(typeof(SmsSendConsumer), hostedServices);
        Assert.DoesNotContain(typeof(ChangesListener<MailingChanged>), hostedServices);
        var response = await worker.CreateClient().GetAsync(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
