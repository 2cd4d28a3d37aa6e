using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary><c>dotnet run --project AppHost</c>: the resources it starts, tasks through them, a crashed service.</summary>
public sealed class RunTests(RunningAppHostFixture fixture) : IClassFixture<RunningAppHostFixture>
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(60);

    private AppHostProcess AppHost => fixture.AppHost;

    [Fact]
    public async Task Run_WithReplicas_ListsEveryResourceUpWithItsEndpoint()
    {
        var resources = AppHost.Resources;

        Assert.Equal(
            ["postgres", "tasksdb", "redis", "kafka", "taskapi-1", "taskapi-2", "taskworker-1", "taskworker-2", "scheduler"],
            resources.Keys);
        Assert.All(["postgres", "redis", "kafka"], name => Assert.Equal("running", resources[name].State));
        Assert.Equal("ready", resources["tasksdb"].State);
        Assert.All(["taskapi-1", "taskapi-2", "taskworker-1", "taskworker-2", "scheduler"], name => Assert.Equal("healthy", resources[name].State));
        Assert.Equal(AppHost.ApiUrl, new Uri(resources["taskapi-1"].Endpoint));
        Assert.NotEqual(new Uri(resources["taskapi-1"].Endpoint).Port, new Uri(resources["taskapi-2"].Endpoint).Port);
        using var secondApi = new HttpClient { BaseAddress = new Uri(resources["taskapi-2"].Endpoint) };
        Assert.True((await secondApi.GetAsync("/health")).IsSuccessStatusCode);
        using var firstApi = AppHost.CreateClient();
        Assert.True((await firstApi.GetAsync("/swagger/index.html")).IsSuccessStatusCode);
    }

    [Fact]
    public void Run_Output_PrefixesEveryServiceLineWithItsAlignedName()
    {
        var prefixed = AppHost.Lines.Where(line => line.Contains(" | ", StringComparison.Ordinal)).ToList();

        Assert.Contains(prefixed, line => line.StartsWith("taskworker-2 | ", StringComparison.Ordinal));
        Assert.Contains(prefixed, line => line.StartsWith("postgres     | ", StringComparison.Ordinal));
        Assert.Contains(prefixed, line => line.StartsWith("apphost      | ", StringComparison.Ordinal));
        Assert.Single(prefixed.Select(line => line.IndexOf(" | ", StringComparison.Ordinal)).Distinct());
    }

    [Fact]
    public async Task Run_TaskCreatedOverRest_ReachesSuccessOrError()
    {
        var id = await AppHost.CreateTaskAsync($"rest {Guid.NewGuid():N}");

        Assert.Contains(await AppHost.WaitFinishedAsync(id, TaskTimeout), new[] { "success", "error" });
    }

    [Fact]
    public async Task Run_TaskProducedToPrintedKafkaAddress_ReachesSuccessOrError()
    {
        var name = $"kafka {Guid.NewGuid():N}";
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = AppHost.Resources["kafka"].Endpoint }).Build();

        await producer.ProduceAsync(KafkaTopics.TaskRequests, new Message<string, string>
        {
            Key = $"key-{Guid.NewGuid():N}",
            Value = JsonSerializer.Serialize(new { name, payload = new { n = 1 } }),
        });

        var id = await Eventually.GetAsync(() => FindTaskIdAsync(name), TaskTimeout, $"task '{name}' to be created from Kafka");
        Assert.Contains(await AppHost.WaitFinishedAsync(Guid.Parse(id), TaskTimeout), new[] { "success", "error" });
    }

    [Fact]
    public async Task Run_KilledWorker_IsRestartedAndTasksStillFinish()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => AppHost.CreateTaskAsync($"during a crash {i}")));
        var killed = AppHost.Resources["taskworker-1"].Pid!.Value;

        System.Diagnostics.Process.GetProcessById(killed).Kill();

        var restart = await AppHost.WaitForLineAsync(
            line => line.Contains("taskworker-1 exited unexpectedly", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the restart of taskworker-1");
        var restarted = int.Parse(restart[(restart.LastIndexOf("pid ", StringComparison.Ordinal) + 4)..]);
        Assert.NotEqual(killed, restarted);
        Assert.True(ProcessTree.IsRunning(restarted), restart);
        Assert.Contains(restarted, AppHost.Descendants());
        foreach (var id in ids)
        {
            Assert.Contains(await AppHost.WaitFinishedAsync(id, TimeSpan.FromSeconds(90)), new[] { "success", "error" });
        }
    }

    private async Task<string?> FindTaskIdAsync(string name)
    {
        using var client = AppHost.CreateClient();
        var page = await client.GetFromJsonAsync<JsonElement>("/tasks?pageSize=100");
        return page.GetProperty("items").EnumerateArray()
            .Where(task => task.GetProperty("name").GetString() == name)
            .Select(task => task.GetProperty("id").GetString())
            .FirstOrDefault();
    }
}
