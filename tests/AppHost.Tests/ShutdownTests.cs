namespace AppHost.Tests;

/// <summary>Ctrl+C / SIGTERM: everything the AppHost started stops, and the private servers keep their data for the next run.</summary>
public sealed class ShutdownTests : IAsyncLifetime
{
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

    [Fact]
    public async Task Sigterm_RunningAppHost_LeavesNoProcessBehindWithin10Seconds()
    {
        await using var appHost = await AppHostProcess.StartUpAsync(_dataDirectory, AppHostProcess.FreeApiUrl());
        var started = appHost.Descendants();
        var names = started.Select(ProcessTree.Name).ToList();
        Assert.Contains("postgres", names);
        Assert.Contains("redis-server", names);
        Assert.Equal(3, names.Count(name => name == "dotnet"));

        appHost.SendSignal(AppHostProcess.SigTerm);

        var stopped = await Task.WhenAny(appHost.Exited, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(stopped == appHost.Exited, $"The AppHost still runs 10 s after SIGTERM.{Environment.NewLine}{appHost.RecentOutput}");
        Assert.Equal(0, await appHost.Exited);
        Assert.Empty(started.Where(ProcessTree.IsRunning).Select(pid => $"{pid} {ProcessTree.Name(pid)}"));
    }

    [Fact]
    public async Task Run_AgainOnSameDataDirectory_KeepsTheTasks()
    {
        Guid id;
        await using (var first = await AppHostProcess.StartUpAsync(_dataDirectory, AppHostProcess.FreeApiUrl()))
        {
            id = await first.CreateTaskAsync("kept across runs");
            await first.WaitFinishedAsync(id, TimeSpan.FromSeconds(60));
        }

        await using var second = await AppHostProcess.StartUpAsync(_dataDirectory, AppHostProcess.FreeApiUrl());

        Assert.Contains(await second.WaitFinishedAsync(id, TimeSpan.FromSeconds(5)), new[] { "success", "error" });
        Assert.DoesNotContain(second.Lines, line => line.Contains("creating a private PostgreSQL cluster", StringComparison.Ordinal));
    }
}
