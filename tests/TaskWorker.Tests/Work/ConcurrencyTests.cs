using Confluent.Kafka;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Work;

namespace TaskWorker.Tests.Work;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task WorkItems_200WithFiveToTenSecondRuns_AllFinishWithinThirtySeconds()
    {
        // One at a time, 200 runs of at least 5 s would take over 16 minutes.
        const int itemCount = 200;
        using var kafka = new KafkaFixture();
        using var worker = WorkerFactory.Start(kafka, ("Worker:MinDelay", "00:00:05"), ("Worker:MaxDelay", "00:00:10"));
        using var producer = kafka.CreateProducer();
        using var statuses = new TopicReader(kafka, KafkaTopics.TaskStatus);
        var items = Enumerable.Range(0, itemCount).Select(_ => WorkRecords.NewItem()).ToList();

        await Task.WhenAll(items.Select(item => producer.ProduceAsync(KafkaTopics.TaskWork, WorkRecords.Message(item))));

        var changes = (await statuses.WaitForAsync(_ => true, count: 2 * itemCount, timeout: TimeSpan.FromSeconds(30)))
            .Select(record => record.Status())
            .ToList();
        Assert.Equal(items.Select(item => item.TaskId).Order(), changes.Select(change => change.TaskId).Distinct().Order());
        Assert.All(changes.GroupBy(change => change.TaskId), run =>
        {
            var (started, ended) = (run.First(), run.Last());
            Assert.Equal(TaskRunStatus.InProgress, started.Status);
            Assert.NotEqual(TaskRunStatus.InProgress, ended.Status);
            Assert.True(ended.OccurredAt - started.OccurredAt >= TimeSpan.FromSeconds(5), $"{run.Key} ran {ended.OccurredAt - started.OccurredAt}");
        });
        Assert.Equal(itemCount, MostRunsAtOnce(changes));
    }

    [Fact]
    public async Task MaxInFlight_Reached_NextRunStartsOnlyWhenOneEndsAndEveryRecordIsCommitted()
    {
        const int itemCount = 8;
        using var kafka = new KafkaFixture();
        using var worker = WorkerFactory.Start(
            kafka, ("Worker:MaxInFlight", "2"), ("Worker:MinDelay", "00:00:00.300"), ("Worker:MaxDelay", "00:00:00.300"));
        using var producer = kafka.CreateProducer();
        using var statuses = new TopicReader(kafka, KafkaTopics.TaskStatus);

        var deliveries = await Task.WhenAll(Enumerable.Range(0, itemCount)
            .Select(_ => producer.ProduceAsync(KafkaTopics.TaskWork, WorkRecords.Message(WorkRecords.NewItem()))));

        var changes = (await statuses.WaitForAsync(_ => true, count: 2 * itemCount)).Select(record => record.Status()).ToList();
        Assert.Equal(itemCount, changes.Count(change => change.Status == TaskRunStatus.Success));
        Assert.Equal(2, MostRunsAtOnce(changes));
        // The records held back while the worker was full are committed once they ran, like any other.
        foreach (var partition in deliveries.GroupBy(delivery => delivery.TopicPartition))
        {
            var end = partition.Max(delivery => delivery.Offset.Value) + 1;
            await Eventually.UntilAsync(
                async () => await kafka.CommittedOffsetAsync(TaskWorkConsumer.GroupId, partition.Key) == end,
                KafkaFixture.Patience, $"offset {end} to be committed for {partition.Key}");
        }
    }

    /// <summary>The most runs in progress at one instant, from the in_progress and final events' timestamps.</summary>
    private static int MostRunsAtOnce(IEnumerable<TaskStatusChanged> changes)
    {
        var running = 0;
        var most = 0;
        // At equal timestamps an end counts before a start: a run that ended then no longer occupies a slot.
        foreach (var change in changes.OrderBy(change => change.OccurredAt).ThenBy(change => change.Status == TaskRunStatus.InProgress))
        {
            running += change.Status == TaskRunStatus.InProgress ? 1 : -1;
            most = Math.Max(most, running);
        }
        return most;
    }
}
