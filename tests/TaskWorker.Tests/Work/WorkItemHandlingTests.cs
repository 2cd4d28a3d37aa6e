using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskWorker.Tests.Work;

/// <summary>One worker whose runs take 50 ms and succeed; each test tells its records apart by task id or offset.</summary>
public sealed class WorkItemHandlingTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>, IDisposable
{
    private readonly IProducer<byte[]?, byte[]> _producer = fixture.Kafka.CreateProducer();
    private readonly TopicReader _statuses = new(fixture.Kafka, KafkaTopics.TaskStatus);
    private readonly TopicReader _deadLetters = new(fixture.Kafka, KafkaTopics.TaskWorkDeadLetter);

    public static TheoryData<byte[]?, byte[], string> UnreadableRecords => new()
    {
        { MessageKeys.For(Guid.NewGuid()), "not json"u8.ToArray(), "not a TaskWorkItem" },
        { MessageKeys.For(Guid.NewGuid()), """{"name":"no id"}"""u8.ToArray(), "no taskId" },
        { MessageKeys.For(Guid.NewGuid()), [], "empty" },
        { null, MessageJson.Serialize(WorkRecords.NewItem()), "no key" },
    };

    [Fact]
    public async Task WorkItem_Consumed_PublishesInProgressThenSuccessKeyedByTaskId()
    {
        var item = WorkRecords.NewItem();

        await _producer.ProduceAsync(KafkaTopics.TaskWork, WorkRecords.Message(item));

        var statuses = await _statuses.WaitForStatusesAsync(item.TaskId, count: 2);
        Assert.Equal([TaskRunStatus.InProgress, TaskRunStatus.Success], statuses.Select(s => s.Status));
        Assert.All(statuses, status => Assert.Equal(item.TaskId, status.TaskId));
        Assert.All(statuses, status => Assert.Null(status.Error));
        Assert.True(statuses[0].OccurredAt <= statuses[1].OccurredAt);
    }

    [Fact]
    public async Task WorkItem_WithTraceparent_RunSpanAndStatusEventsContinueTheTrace()
    {
        var item = WorkRecords.NewItem();
        var relaySpan = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using var spans = new SpanCollector(KafkaTracing.Source.Name, relaySpan.TraceId);
        var headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes($"00-{relaySpan.TraceId}-{relaySpan.SpanId}-01") } };

        await _producer.ProduceAsync(KafkaTopics.TaskWork, WorkRecords.Message(item, headers));

        var statuses = await _statuses.WaitForAsync(record => record.IsFor(item.TaskId), count: 2);
        var process = await Eventually.GetAsync(
            () => Task.FromResult(spans.Ended.SingleOrDefault(span => span.Kind == ActivityKind.Consumer)),
            KafkaFixture.Patience, "the run's consumer span to end");
        Assert.Equal(relaySpan.SpanId, process.ParentSpanId);
        var publishes = spans.Ended.Where(span => span.Kind == ActivityKind.Producer).ToList();
        Assert.Equal(2, publishes.Count);
        Assert.All(publishes, publish => Assert.Equal(process.SpanId, publish.ParentSpanId));
        // Each status event carries the context of the producer span that published it.
        var carried = statuses.Select(status => KafkaTracing.ParseTraceParent(status.Header("traceparent"))).ToList();
        Assert.All(carried, context => Assert.Equal(relaySpan.TraceId, context.TraceId));
        Assert.Equal(
            publishes.Select(publish => publish.SpanId.ToHexString()).Order(),
            carried.Select(context => context.SpanId.ToHexString()).Order());
    }

    [Theory]
    [MemberData(nameof(UnreadableRecords))]
    public async Task WorkItem_Unreadable_IsDeadLetteredAsSentAndTheNextRecordStillRuns(byte[]? key, byte[] value, string expectedReason)
    {
        var partition = new TopicPartition(KafkaTopics.TaskWork, 1);
        var headers = new Headers { { "origin", "test"u8.ToArray() } };
        var next = WorkRecords.NewItem();

        var unreadable = await _producer.ProduceAsync(partition, new Message<byte[]?, byte[]> { Key = key, Value = value, Headers = headers });
        await _producer.ProduceAsync(partition, WorkRecords.Message(next));

        var source = $"{KafkaTopics.TaskWork}/1/{unreadable.Offset.Value}";
        var deadLetter = Assert.Single(await _deadLetters.WaitForAsync(record => record.Header(DeadLetterHeaders.Source) == source));
        Assert.Equal(key, deadLetter.Message.Key);
        Assert.Equal(value, deadLetter.Message.Value ?? []);
        Assert.Equal("test", deadLetter.Header("origin"));
        Assert.Contains(expectedReason, deadLetter.Header(DeadLetterHeaders.Reason));
        var statuses = await _statuses.WaitForStatusesAsync(next.TaskId, count: 2);
        Assert.Equal(TaskRunStatus.Success, statuses[^1].Status);
    }

    [Fact]
    public async Task WorkItem_Run_CountsStartedFinishedAndInFlight()
    {
        var meterFactory = fixture.Worker.Services.GetRequiredService<IMeterFactory>();
        using var started = new InstrumentRecorder(meterFactory, "tasks.worker.started");
        using var finished = new InstrumentRecorder(meterFactory, "tasks.worker.finished");
        using var inFlight = new InstrumentRecorder(meterFactory, "tasks.worker.in_flight");
        var item = WorkRecords.NewItem();

        await _producer.ProduceAsync(KafkaTopics.TaskWork, WorkRecords.Message(item));

        await _statuses.WaitForStatusesAsync(item.TaskId, count: 2);
        await Eventually.UntilAsync(
            () => Task.FromResult(finished.Total == 1 && inFlight.Total == 0), KafkaFixture.Patience, "the run to be counted as finished");
        Assert.Equal(1, started.Total);
    }

    [Fact]
    public async Task Health_KafkaReachable_Returns200Healthy()
    {
        var response = await fixture.Worker.CreateClient().GetAsync(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        _producer.Dispose();
        _statuses.Dispose();
        _deadLetters.Dispose();
    }
}
