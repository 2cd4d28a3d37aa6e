using Confluent.Kafka;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Work;

namespace TaskWorker.Tests.Work;

/// <summary>Each test has a cluster of its own, so the committed offsets it reads are its worker's alone.</summary>
public sealed class OffsetCommitTests
{
    // A run that outlasts the test, so its record stays unfinished.
    private static readonly (string, string)[] EndlessRuns = [("Worker:MinDelay", "00:10:00"), ("Worker:MaxDelay", "00:10:00")];

    private static readonly TopicPartition Partition0 = new(KafkaTopics.TaskWork, 0);
    private static readonly TopicPartition Partition1 = new(KafkaTopics.TaskWork, 1);

    [Fact]
    public async Task CommittedOffset_UnfinishedRunBeforeFinishedRecords_StaysAtTheUnfinishedRun()
    {
        using var kafka = new KafkaFixture();
        using var worker = WorkerFactory.Start(kafka, [.. EndlessRuns, ("Worker:ShutdownGrace", "00:00:00")]);
        using var producer = kafka.CreateProducer();
        using var statuses = new TopicReader(kafka, KafkaTopics.TaskStatus);
        using var deadLetters = new TopicReader(kafka, KafkaTopics.TaskWorkDeadLetter);
        var unfinished = WorkRecords.NewItem();

        // Offsets 0, 2 and 3 finish at once (they are dead-lettered); offset 1 keeps running.
        foreach (var message in new[] { WorkRecords.Unreadable(), WorkRecords.Message(unfinished), WorkRecords.Unreadable(), WorkRecords.Unreadable() })
        {
            await producer.ProduceAsync(Partition0, message);
        }
        await deadLetters.WaitForAsync(record => record.Header(DeadLetterHeaders.Source)!.StartsWith($"{KafkaTopics.TaskWork}/0/"), count: 3);
        await statuses.WaitForStatusesAsync(unfinished.TaskId, count: 1);

        // Commits cover every partition at once: once partition 1's shows, the one after offsets 2 and 3 finished has happened.
        await producer.ProduceAsync(Partition1, WorkRecords.Unreadable());
        await Eventually.UntilAsync(
            async () => await kafka.CommittedOffsetAsync(TaskWorkConsumer.GroupId, Partition1) == 1,
            KafkaFixture.Patience, "partition 1's record to be committed");
        Assert.Equal(1, await kafka.CommittedOffsetAsync(TaskWorkConsumer.GroupId, Partition0));
    }

    [Fact]
    public async Task Shutdown_RunOutlastsTheGracePeriod_IsNotCommittedAndTheNextWorkerRunsIt()
    {
        using var kafka = new KafkaFixture();
        using var producer = kafka.CreateProducer();
        using var statuses = new TopicReader(kafka, KafkaTopics.TaskStatus);
        var item = WorkRecords.NewItem();
        await producer.ProduceAsync(Partition0, WorkRecords.Unreadable());
        await producer.ProduceAsync(Partition0, WorkRecords.Message(item));

        await using (WorkerFactory.Start(kafka, [.. EndlessRuns, ("Worker:ShutdownGrace", "00:00:00.200")]))
        {
            await statuses.WaitForStatusesAsync(item.TaskId, count: 1);
        }

        Assert.Equal(1, await kafka.CommittedOffsetAsync(TaskWorkConsumer.GroupId, Partition0));
        await using var nextWorker = WorkerFactory.Start(kafka);
        var changes = await statuses.WaitForStatusesAsync(item.TaskId, count: 3);
        Assert.Equal([TaskRunStatus.InProgress, TaskRunStatus.InProgress, TaskRunStatus.Success], changes.Select(change => change.Status));
        await Eventually.UntilAsync(
            async () => await kafka.CommittedOffsetAsync(TaskWorkConsumer.GroupId, Partition0) == 2,
            KafkaFixture.Patience, "the rerun record to be committed");
    }

    [Fact]
    public async Task Shutdown_RunEndsWithinTheGracePeriod_IsFinishedAndCommitted()
    {
        using var kafka = new KafkaFixture();
        using var producer = kafka.CreateProducer();
        using var statuses = new TopicReader(kafka, KafkaTopics.TaskStatus);
        var item = WorkRecords.NewItem();
        var worker = WorkerFactory.Start(kafka, ("Worker:MinDelay", "00:00:01.500"), ("Worker:MaxDelay", "00:00:01.500"));

        var delivery = await producer.ProduceAsync(Partition0, WorkRecords.Message(item));
        await statuses.WaitForStatusesAsync(item.TaskId, count: 1);
        await worker.DisposeAsync();

        var changes = await statuses.WaitForStatusesAsync(item.TaskId, count: 2);
        Assert.Equal(TaskRunStatus.Success, changes[^1].Status);
        Assert.Equal(delivery.Offset.Value + 1, await kafka.CommittedOffsetAsync(TaskWorkConsumer.GroupId, Partition0));
    }

    [Fact]
    public async Task CommittedOffset_BrokerDownAsRunsEnd_NeverPassesAnUnreportedRunAndEachRunIsReportedOnceItIsBack()
    {
        using var kafka = new KafkaFixture();
        await using var worker = WorkerFactory.Start(kafka, ("Worker:MinDelay", "00:00:02"), ("Worker:MaxDelay", "00:00:02"), OutageTests.ShortProduceTimeout);
        using var producer = kafka.CreateProducer();
        using var statuses = new TopicReader(kafka, KafkaTopics.TaskStatus);
        var items = Enumerable.Range(0, 6).Select(_ => WorkRecords.NewItem()).ToList();
        var deliveries = await Task.WhenAll(items.Select(item => producer.ProduceAsync(KafkaTopics.TaskWork, WorkRecords.Message(item))));
        // Every run has begun (its start is reported) and ends 2 s later, in the outage.
        foreach (var item in items)
        {
            await statuses.WaitForStatusesAsync(item.TaskId, count: 1);
        }

        await OutageTests.TakeTheBrokerDownAsync(kafka);

        await OutageTests.AssertEachReportedBeforeCommittedAsync(kafka, TaskWorkConsumer.GroupId,
            items.Zip(deliveries, (item, delivery) => (delivery, (Func<ConsumeResult<byte[]?, byte[]>, bool>)(record =>
                record.IsFor(item.TaskId) && record.Status().Status == TaskRunStatus.Success))).ToList(),
            statuses);
        foreach (var partition in deliveries.GroupBy(delivery => delivery.TopicPartition))
        {
            var end = partition.Max(delivery => delivery.Offset.Value) + 1;
            await Eventually.UntilAsync(async () => await kafka.CommittedOffsetAsync(TaskWorkConsumer.GroupId, partition.Key) == end,
                KafkaFixture.Patience, $"{partition.Key} to be committed to its end");
        }
    }
}
