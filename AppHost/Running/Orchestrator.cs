using AppHost.Model;

namespace AppHost.Running;

/// <summary>
/// Runs the application model on this machine, as an Aspire AppHost does in run mode: every resource starts once
/// the ones it depends on are up, and is itself up only when healthy; then the resource table; on a stop signal
/// everything stops in reverse, each resource after those that depend on it.
/// </summary>
public sealed class Orchestrator(ApplicationModel model, AppHostSettings settings, ConsoleLog log)
{
    /// <summary>Printed after the resource table; what to wait for before using the system.</summary>
    public const string UpMessage = "all resources are up; Ctrl+C stops everything";

    public async Task RunAsync(CancellationToken stopRequested, CancellationToken stopNow)
    {
        var values = new RunValues(model);
        var runners = model.Resources.Select(resource => CreateRunner(resource, values)).OfType<ResourceRunner>().ToList();
        foreach (var runner in runners)
        {
            runner.CheckPrerequisites();
        }
        foreach (var runner in runners)
        {
            await runner.PrepareAsync();
        }

        log.AlignTo(runners.SelectMany(runner => runner.ProcessNames));
        log.Info($"starting {string.Join(", ", runners.Select(runner => runner.Resource.Name))} (data folder {settings.DataDirectory})");
        try
        {
            await StartAsync(runners, stopRequested);
            log.WriteBlock(ResourceTable.Format(runners.SelectMany(runner => runner.Rows)));
            log.Info(UpMessage);
            await Task.Delay(Timeout.Infinite, stopRequested);
        }
        catch (OperationCanceledException) when (stopRequested.IsCancellationRequested)
        {
            // Asked to stop, which the finally block does.
        }
        finally
        {
            log.Info("stopping: services first, then what they use (Ctrl+C again stops at once)");
            await StopAsync(runners, stopNow);
            log.Info("stopped");
        }
    }

    private ResourceRunner? CreateRunner(Resource resource, RunValues values) => resource switch
    {
        // Given from outside (Aspire's AddConnectionString): nothing to start.
        IResourceWithConnectionString given when settings.ExternalConnectionString(given.Name) is { } connectionString =>
            new ExternalResourceRunner(given, connectionString, values),
        PostgresServerResource server when model.Resources.OfType<PostgresDatabaseResource>()
            .Where(database => database.Server == server)
            .All(database => settings.ExternalConnectionString(database.Name) is not null) =>
            new UnusedResourceRunner(server, "its databases are given from outside"),
        PostgresServerResource server => new PrivatePostgresRunner(server, settings, values, log),
        PostgresDatabaseResource database => new PostgresDatabaseRunner(database, values),
        RedisResource redis => new PrivateRedisRunner(redis, settings, values, log),
        KafkaResource kafka => new EmbeddedKafkaRunner(kafka, values),
        ProjectResource project => new ProjectRunner(project, values, log),
        // Its value comes with the resource that uses it (the PostgreSQL password with the server).
        ParameterResource => null,
        _ => throw new NotSupportedException($"{resource.GetType().Name} cannot run here."),
    };

    private static async Task StartAsync(IReadOnlyList<ResourceRunner> runners, CancellationToken stopRequested)
    {
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(stopRequested);
        var started = new Dictionary<Resource, Task>();
        foreach (var runner in runners)
        {
            var dependencies = runner.Dependencies.Select(dependency => started[dependency]).ToList();
            started[runner.Resource] = StartAfterAsync(runner, dependencies, startup);
        }
        await Task.WhenAll(started.Values);
    }

    private static async Task StartAfterAsync(ResourceRunner runner, List<Task> dependencies, CancellationTokenSource startup)
    {
        try
        {
            await Task.WhenAll(dependencies);
            await runner.StartAsync(startup.Token);
        }
        catch
        {
            // One failure ends the start-up: nothing else waits for its health any longer.
            await startup.CancelAsync();
            throw;
        }
    }

    private static async Task StopAsync(IReadOnlyList<ResourceRunner> runners, CancellationToken stopNow)
    {
        var stopped = new Dictionary<Resource, Task>();
        foreach (var runner in runners.AsEnumerable().Reverse())
        {
            var dependents = runners
                .Where(other => other.Dependencies.Contains(runner.Resource))
                .Select(other => stopped[other.Resource])
                .ToList();
            stopped[runner.Resource] = StopAfterAsync(runner, dependents, stopNow);
        }
        await Task.WhenAll(stopped.Values);
    }

    private static async Task StopAfterAsync(ResourceRunner runner, List<Task> dependents, CancellationToken stopNow)
    {
        // A dependent that failed to stop must not keep this one running: its failure surfaces through its own task.
        await Task.WhenAll(dependents).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await runner.StopAsync(stopNow);
    }
}
