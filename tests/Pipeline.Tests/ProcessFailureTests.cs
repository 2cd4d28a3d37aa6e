using System.Text;
using Confluent.Kafka;
using Tasks.Shared;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>kill -9 of a service during a run of 1,000 tasks loses none of them.</summary>
public sealed class ProcessFailureTests : IAsyncLifetime
{
    private const int TaskCount = 1000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private RunningPipeline _pipeline = null!;

    public async Task InitializeAsync() =>
        _pipeline = await RunningPipeline.StartAsync(new WorkerSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), FailureProbability: 0.2));

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    [Fact]
    public async Task WorkerKilledMidRun_AfterRestartEveryTaskIsSuccessOrError()
    {
        SubmitOverKafka();
        await Eventually.UntilAsync(async () => (await _pipeline.CountByStatusAsync()).GetValueOrDefault("in_progress") > 0, Timeout, "tasks to start");

        await _pipeline.Workers[0].KillAsync();
        var atKill = await _pipeline.CountByStatusAsync();
        Assert.True(atKill.Values.Sum() - atKill.GetValueOrDefault("success") - atKill.GetValueOrDefault("error") > 0,
            $"some tasks are unfinished when the worker dies ({string.Join(", ", atKill)})");
        await _pipeline.StartWorkerAsync();

        await _pipeline.WaitAllTerminalAsync(TaskCount, Timeout);
    }

    [Fact]
    public async Task ApiKilledMidRun_AfterRestartEveryTaskIsSuccessOrError()
    {
        SubmitOverKafka();
        await Eventually.UntilAsync(async () => (await _pipeline.CountByStatusAsync()).GetValueOrDefault("in_progress") > 0, Timeout, "tasks to start");

        await _pipeline.Api.KillAsync();
        var atKill = await _pipeline.CountByStatusAsync();
        Assert.True(atKill.GetValueOrDefault("success") + atKill.GetValueOrDefault("error") < TaskCount,
            $"the run is not over when TaskApi dies ({string.Join(", ", atKill)})");
        await _pipeline.StartApiAsync();

        await _pipeline.WaitAllTerminalAsync(TaskCount, Timeout);
    }

    private void SubmitOverKafka()
    {
        using var producer = PipelineKafka.Producer(_pipeline.Kafka.BootstrapServers);
        for (var i = 0; i < TaskCount; i++)
        {
            producer.Produce(KafkaTopics.TaskRequests, new Message<byte[]?, byte[]>
            {
                Key = Encoding.UTF8.GetBytes($"run-{i}"),
                Value = Encoding.UTF8.GetBytes($$"""{"name":"task {{i}}"}"""),
            });
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }
}
