using Microsoft.Extensions.DependencyInjection;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Delivery;
using TaskWorker.Sms;

namespace TaskWorker.Tests.Sms;

public sealed class MailingChangesListenerTests
{
    [Fact]
    public async Task Start_MailingCancelledBeforeTheWorkerStarted_ItsWaitingRecordIsNotSent()
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var gateway = await StandInSmsGateway.StartAsync();
        using var producer = kafka.CreateProducer();
        using var reports = new TopicReader(kafka, KafkaTopics.MessagesStatus);
        var item = SmsRecords.NewItem();
        await producer.ProduceAsync(KafkaTopics.MailingsChanges, SmsRecords.Change(new MailingChanged(item.MailingId, DateTimeOffset.UtcNow.AddHours(1), Cancelled: true)));
        var delivery = await producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        using var worker = WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, gateway.BaseUrl));

        await Eventually.UntilAsync(
            async () => await kafka.CommittedOffsetAsync(SmsSendConsumer.GroupId, delivery.TopicPartition) > delivery.Offset.Value,
            KafkaFixture.Patience, "the record to be committed");
        Assert.Empty(gateway.RequestsFor(item.MessageId));
        Assert.DoesNotContain(await reports.ReadToEndAsync(), record => record.IsFor(item.MessageId));
    }

    [Fact]
    public async Task Start_SeveralChangesPerMailing_KnowsTheLatestOfEachAndForgetsTombstoned()
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var gateway = await StandInSmsGateway.StartAsync();
        using var producer = kafka.CreateProducer();
        var endAt = DateTimeOffset.UtcNow.AddHours(1);
        var (moved, cancelled, deleted) = (SmsRecords.NextId(), SmsRecords.NextId(), SmsRecords.NextId());
        foreach (var change in new[]
        {
            new MailingChanged(moved, endAt, false), new MailingChanged(cancelled, endAt, false), new MailingChanged(deleted, endAt, false),
            new MailingChanged(moved, endAt.AddHours(1), false), new MailingChanged(cancelled, endAt, true),
        })
        {
            await producer.ProduceAsync(KafkaTopics.MailingsChanges, SmsRecords.Change(change));
        }
        await producer.ProduceAsync(KafkaTopics.MailingsChanges, new() { Key = MessageKeys.For(deleted), Value = [] });

        using var worker = WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, gateway.BaseUrl));

        var known = worker.Services.GetRequiredService<KnownMailings>();
        await known.CaughtUp.WaitAsync(KafkaFixture.Patience);
        Assert.Equal(new MailingChanged(moved, endAt.AddHours(1), false), known.Find(moved));
        Assert.Equal(new MailingChanged(cancelled, endAt, true), known.Find(cancelled));
        Assert.Null(known.Find(deleted));
    }
}
