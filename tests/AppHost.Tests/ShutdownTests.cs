using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The README's run command as a real process: Ctrl+C / SIGTERM stops everything it started, and the private servers
/// keep their data for the next run while the embedded Kafka starts empty.
/// </summary>
public sealed class ShutdownTests : IAsyncLifetime
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private readonly string _dataDirectory = AppHostProcess.NewDataDirectory();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        return Task.CompletedTask;
    }

    // One test for both: each start of the whole system costs half a minute of the CI's budget.
    [Fact]
    public async Task Sigterm_ToRunCommand_StopsEverythingWithin20SecondsAndTheNextRunKeepsTheTasksAndTakesKeylessSubmissions()
    {
        var name = $"keyless {Guid.NewGuid():N}";
        Guid id;
        await using (var first = await StartUpAsync())
        {
            id = await CreateTaskAsync(first, "kept across runs");
            await SubmitKeylessAsync(first, name, 3);
            await WaitForTasksAsync(first, name, 3);
            await StopWithSigtermAsync(first);
        }

        // The second run's embedded Kafka starts empty, at the same offsets as the first's.
        await using var second = await StartUpAsync();
        await SubmitKeylessAsync(second, name, 3);

        await WaitForTasksAsync(second, name, 6);
        using var client = ApiClient(second);
        Assert.Equal("kept across runs", (await client.GetFromJsonAsync<JsonElement>($"/tasks/{id}")).GetProperty("name").GetString());
        Assert.DoesNotContain(second.Lines, line => line.Contains("creating a private cluster", StringComparison.Ordinal));
    }

    private static async Task StopWithSigtermAsync(AppHostProcess run)
    {
        var started = ProcessTree.StartedBy(run.Id);
        var names = started.Select(ProcessTree.Name).ToList();
        Assert.Contains("AppHost", names);
        Assert.Contains("dcp", names);
        Assert.All(["postgres", "redis-server", "Rnwood.Smtp4dev", "TaskApi", "TaskWorker", "Scheduler"], name => Assert.Contains(name, names));

        run.SendSignal(AppHostProcess.SigTerm);

        var stopped = await Task.WhenAny(run.Exited, Task.Delay(StopTimeout));
        Assert.True(stopped == run.Exited, $"The run command still runs {StopTimeout} after SIGTERM.{Environment.NewLine}{run.RecentOutput}");
        await Eventually.UntilAsync(() => Task.FromResult(!started.Any(ProcessTree.IsRunning)), StopTimeout,
            $"every process it started to end; still running: {string.Join(", ", started.Where(ProcessTree.IsRunning).Select(pid => $"{pid} {ProcessTree.Name(pid)}"))}");
    }

    /// <summary>The run command with TaskApi and the dashboard on free ports (no launch profile), and quick tasks.</summary>
    private async Task<AppHostProcess> StartUpAsync()
    {
        var run = AppHostProcess.Run(["--data-dir", _dataDirectory, "--api-url", AppHostProcess.FreeUrl(), .. AppHostProcess.QuickPipelineArguments]);
        try
        {
            await run.WaitUntilUpAsync();
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    private static HttpClient ApiClient(AppHostProcess run) =>
        new() { BaseAddress = new Uri(Printed(run, "taskapi: ").Split(' ')[0]) };

    private static string Printed(AppHostProcess run, string prefix) =>
        run.Lines.Select(line => line.Trim()).First(line => line.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    private static async Task<Guid> CreateTaskAsync(AppHostProcess run, string name)
    {
        using var client = ApiClient(run);
        var response = await client.PostAsJsonAsync("/tasks", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task SubmitKeylessAsync(AppHostProcess run, string name, int count)
    {
        using var producer = PipelineKafka.Producer(Printed(run, "Kafka bootstrap servers, e.g. for kcat -b: "));
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(KafkaTopics.TaskRequests, new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes($$"""{"name":"{{name}}"}""") });
        }
    }

    private static Task WaitForTasksAsync(AppHostProcess run, string name, int count) =>
        Eventually.UntilAsync(async () =>
        {
            using var client = ApiClient(run);
            var page = await client.GetFromJsonAsync<JsonElement>("/tasks?pageSize=100");
            return page.GetProperty("items").EnumerateArray().Count(task => task.GetProperty("name").GetString() == name) == count;
        }, TimeSpan.FromSeconds(60), $"{count} tasks named '{name}'");
}
