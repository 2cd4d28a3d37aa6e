using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using EmbeddedKafka;
using Tasks.Shared;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>Tasks through the whole system: TaskApi and TaskWorker processes, PostgreSQL, embedded Kafka.</summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private RunningPipeline _pipeline = null!;

    public async Task InitializeAsync() => _pipeline = await RunningPipeline.StartAsync(WorkerSettings.Quick);

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    [Fact]
    public async Task RestTask_RunByTheWorker_ReachesSuccessWithTimestamps()
    {
        var id = await _pipeline.CreateTaskAsync("over rest");

        var task = await Eventually.GetAsync(async () =>
        {
            var current = await _pipeline.GetTaskAsync(id);
            return current.GetProperty("status").GetString() == "success" ? (object)current : null;
        }, Timeout, $"task {id} to succeed");

        var json = (JsonElement)task;
        var startedAt = json.GetProperty("startedAt").GetDateTimeOffset();
        var finishedAt = json.GetProperty("finishedAt").GetDateTimeOffset();
        Assert.True(json.GetProperty("createdAt").GetDateTimeOffset() <= startedAt);
        Assert.True(startedAt < finishedAt);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task KafkaSubmittedTask_FromAPlainProducer_AppearsAndCompletes()
    {
        using var producer = PipelineKafka.Producer(_pipeline.Kafka.BootstrapServers);
        await producer.ProduceAsync(KafkaTopics.TaskRequests, new Message<byte[]?, byte[]>
        {
            Key = "outside-system-1"u8.ToArray(),
            Value = Encoding.UTF8.GetBytes("""{"name":"from another system","payload":{"order":17}}"""),
        });

        await _pipeline.WaitAllTerminalAsync(1, Timeout);
        using var client = _pipeline.CreateApiClient();
        var page = await client.GetStringAsync("/tasks?status=success");
        Assert.Contains("from another system", page);
    }

    [Fact]
    public async Task KafkaDownDuringCreate_TaskStillCompletesWhenKafkaIsBack()
    {
        using var client = _pipeline.CreateApiClient();
        // A task through the whole system first: every consumer has its partitions when Kafka goes away.
        await _pipeline.CreateTaskAsync("before the outage");
        await _pipeline.WaitAllTerminalAsync(1, Timeout);
        _pipeline.Kafka.SetBrokerDown(KafkaMockCluster.AllBrokers);
        try
        {
            // TaskApi's readiness includes Kafka: once it reports the outage, the outage is real to it.
            await Eventually.UntilAsync(async () => !(await client.GetAsync("/health")).IsSuccessStatusCode, Timeout, "TaskApi to see Kafka down");
            await _pipeline.CreateTaskAsync("created while Kafka is down");
        }
        finally
        {
            _pipeline.Kafka.SetBrokerUp(KafkaMockCluster.AllBrokers);
        }

        await _pipeline.WaitAllTerminalAsync(2, Timeout);
    }
}
