using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Work;

namespace TaskWorker.Tests.Work;

public sealed class RebalanceTests
{
    [Fact]
    public async Task SecondWorkerJoins_UnfinishedWorkOfMovedPartitionsIsRerunAndEveryRecordIsCommitted()
    {
        const int itemCount = 40;
        using var kafka = new KafkaFixture();
        using var producer = kafka.CreateProducer();
        using var statuses = new TopicReader(kafka, KafkaTopics.TaskStatus);
        // The first worker's runs outlast the rebalance, so the partitions it gives up still have work under way.
        await using var first = WorkerFactory.Start(kafka, ("Worker:MinDelay", "00:00:10"), ("Worker:MaxDelay", "00:00:10"));
        var deliveries = await Task.WhenAll(Enumerable.Range(0, itemCount)
            .Select(_ => producer.ProduceAsync(KafkaTopics.TaskWork, WorkRecords.Message(WorkRecords.NewItem()))));
        await statuses.WaitForAsync(record => record.Status().Status == TaskRunStatus.InProgress, count: itemCount);

        await using var second = WorkerFactory.Start(kafka);
        using var startedBySecond = new InstrumentRecorder(second.Services.GetRequiredService<IMeterFactory>(), "tasks.worker.started");

        // The first worker cannot commit the partitions it gave up, so their ends are committed only once the
        // second one has rerun what was unfinished there.
        foreach (var partition in deliveries.GroupBy(delivery => delivery.TopicPartition))
        {
            var end = partition.Max(delivery => delivery.Offset.Value) + 1;
            await Eventually.UntilAsync(
                async () => await kafka.CommittedOffsetAsync(TaskWorkConsumer.GroupId, partition.Key) == end,
                KafkaFixture.Patience, $"offset {end} to be committed for {partition.Key}");
        }
        Assert.InRange(startedBySecond.Total, 1, itemCount - 1);
        await statuses.ReadUntilAsync(
            records => records.Select(record => record.Status()).Where(change => change.Status != TaskRunStatus.InProgress)
                .Select(change => change.TaskId).Distinct().Count() == itemCount,
            "a final status for every task");
    }
}
