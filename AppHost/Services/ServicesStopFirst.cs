using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AppHost.Services;

/// <summary>
/// When the AppHost ends, DCP stops every resource at once, and the embedded Kafka ends with the AppHost's own process:
/// PostgreSQL, Redis and Kafka would go away under services still finishing their work (a worker's last runs, the
/// outbox relay's last batch, committing offsets and leaving their consumer groups). Hosted services stop in reverse
/// order of registration, so this one, registered after Aspire's own, stops the projects through Aspire's stop command
/// and waits for them before Aspire stops the rest.
/// </summary>
internal sealed partial class ServicesStopFirst(
    DistributedApplicationModel model,
    ResourceCommandService commands,
    ResourceNotificationService notifications,
    ILogger<ServicesStopFirst> logger) : IHostedService
{
    // Above the worker's shutdown grace for running tasks (Worker:ShutdownGrace, 10 s).
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        var projects = model.Resources.OfType<ProjectResource>().ToList();
        LogStopping(string.Join(", ", projects.Select(p => p.Name)));
        try
        {
            var stopped = AllStoppedAsync(patience.Token);
            await Task.WhenAll(projects.Select(project => commands.ExecuteCommandAsync(project, KnownResourceCommands.StopCommand, patience.Token)));
            await stopped;
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested)
        {
            LogGaveUp(Patience);
        }
    }

    /// <summary>The stop command returns once it has asked; this waits until no replica of any project runs any more.</summary>
    private async Task AllStoppedAsync(CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, string?>();
        await foreach (var change in notifications.WatchAsync(cancellationToken))
        {
            if (change.Resource is ProjectResource)
            {
                states[change.ResourceId] = change.Snapshot.State?.Text;
                if (!states.Values.Any(state => state == KnownResourceStates.Starting || state == KnownResourceStates.Running || state == KnownResourceStates.Stopping))
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Stopping {Services} before the servers they use")]
    private partial void LogStopping(string services);

    [LoggerMessage(LogLevel.Warning, "Services still running after {Patience}; stopping everything")]
    private partial void LogGaveUp(TimeSpan patience);
}
