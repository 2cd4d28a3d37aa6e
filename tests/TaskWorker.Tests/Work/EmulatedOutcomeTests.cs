using Confluent.Kafka;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Work;

namespace TaskWorker.Tests.Work;

public sealed class EmulatedOutcomeTests
{
    [Theory]
    [InlineData("0", TaskRunStatus.Success, null)]
    [InlineData("1", TaskRunStatus.Error, EmulatedTaskRunner.EmulatedFailure)]
    public async Task WorkItem_WithFailureProbability_ReportsThatOutcome(string failureProbability, TaskRunStatus expectedStatus, string? expectedError)
    {
        using var kafka = new KafkaFixture();
        using var worker = WorkerFactory.Start(kafka, ("Worker:FailureProbability", failureProbability));
        using var producer = kafka.CreateProducer();
        using var statuses = new TopicReader(kafka, KafkaTopics.TaskStatus);
        var item = WorkRecords.NewItem();

        await producer.ProduceAsync(KafkaTopics.TaskWork, WorkRecords.Message(item));

        var outcome = (await statuses.WaitForStatusesAsync(item.TaskId, count: 2))[^1];
        Assert.Equal(expectedStatus, outcome.Status);
        Assert.Equal(expectedError, outcome.Error);
    }
}
