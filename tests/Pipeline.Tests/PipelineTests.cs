using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using EmbeddedKafka;
using Tasks.Shared;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>
/// Tasks through the whole system: TaskApi and TaskWorker processes, PostgreSQL, embedded Kafka. The tests share one
/// pipeline (the one that takes Kafka away brings it back): each waits for tasks of its own.
/// </summary>
public sealed class PipelineTests(PipelineTests.TaskPipeline fixture) : IClassFixture<PipelineTests.TaskPipeline>
{
    public sealed class TaskPipeline : IAsyncLifetime
    {
        public RunningPipeline Pipeline { get; private set; } = null!;

        public async Task InitializeAsync() => Pipeline = await RunningPipeline.StartAsync(WorkerSettings.Quick);

        public async Task DisposeAsync() => await Pipeline.DisposeAsync();
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly RunningPipeline _pipeline = fixture.Pipeline;

    [Fact]
    public async Task RestTask_RunByTheWorker_ReachesSuccessWithTimestamps()
    {
        var id = await _pipeline.CreateTaskAsync("over rest");

        var json = await _pipeline.WaitTerminalAsync(id, Timeout);

        Assert.Equal("success", json.GetProperty("status").GetString());
        var startedAt = json.GetProperty("startedAt").GetDateTimeOffset();
        var finishedAt = json.GetProperty("finishedAt").GetDateTimeOffset();
        Assert.True(json.GetProperty("createdAt").GetDateTimeOffset() <= startedAt);
        Assert.True(startedAt < finishedAt);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task KafkaSubmittedTask_FromAPlainProducer_AppearsAndCompletes()
    {
        var name = $"from another system {Guid.NewGuid():N}";
        using var producer = PipelineKafka.Producer(_pipeline.Kafka.BootstrapServers);
        await producer.ProduceAsync(KafkaTopics.TaskRequests, new Message<byte[]?, byte[]>
        {
            Key = "outside-system-1"u8.ToArray(),
            Value = Encoding.UTF8.GetBytes($$$"""{"name":"{{{name}}}","payload":{"order":17}}"""),
        });

        var task = await _pipeline.WaitTerminalAsync(name, Timeout);
        Assert.Equal("success", task.GetProperty("status").GetString());
    }

    [Fact]
    public async Task KafkaDownDuringCreate_TaskStillCompletesWhenKafkaIsBack()
    {
        using var client = _pipeline.CreateApiClient();
        // A task through the whole system first: every consumer has its partitions when Kafka goes away.
        await _pipeline.WaitTerminalAsync(await _pipeline.CreateTaskAsync("before the outage"), Timeout);
        _pipeline.Kafka.SetBrokerDown(KafkaMockCluster.AllBrokers);
        Guid createdWhileDown;
        try
        {
            // TaskApi's readiness includes Kafka: once it reports the outage, the outage is real to it.
            await Eventually.UntilAsync(async () => !(await client.GetAsync("/health")).IsSuccessStatusCode, Timeout, "TaskApi to see Kafka down");
            createdWhileDown = await _pipeline.CreateTaskAsync("created while Kafka is down");
        }
        finally
        {
            _pipeline.Kafka.SetBrokerUp(KafkaMockCluster.AllBrokers);
        }

        await _pipeline.WaitTerminalAsync(createdWhileDown, Timeout);
    }
}
