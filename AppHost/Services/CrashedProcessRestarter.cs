using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AppHost.Services;

/// <summary>
/// Aspire (DCP) does not restart a process that exits by itself: it stays <c>Finished</c> until someone presses Start
/// in the dashboard. This does that for them, through Aspire's own resource events and its start command, so the
/// dashboard shows each restart as it would a manual one. A process that exits while running (no <c>Stopping</c> in
/// between, as a stop command or the AppHost's shutdown goes through) has crashed; it is started again after 1 s,
/// doubling up to 30 s while it keeps crashing within a minute of its start.
/// </summary>
internal sealed partial class CrashedProcessRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    ILogger<CrashedProcessRestarter> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, string?> _states = [];
    private readonly Dictionary<string, TimeSpan> _nextDelay = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                // Our services and servers; not Aspire's own helpers (a project's rebuilder finishes by design).
                if (change.Resource is not (ProjectResource or ExecutableResource and IResourceWithConnectionString)
                    && !change.Resource.HasAnnotationOfType<RestartOnCrashAnnotation>())
                {
                    continue;
                }
                var state = change.Snapshot.State?.Text;
                _states.TryGetValue(change.ResourceId, out var previous);
                _states[change.ResourceId] = state;
                if (previous == KnownResourceStates.Running && state == KnownResourceStates.Finished && !lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    _ = RestartAsync(change.ResourceId, change.Snapshot, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(string resourceId, CustomResourceSnapshot snapshot, CancellationToken stoppingToken)
    {
        var ranFor = snapshot.StartTimeStamp is { } started && snapshot.StopTimeStamp is { } stopped ? stopped - started : TimeSpan.Zero;
        var delay = ranFor >= StableAfter || !_nextDelay.TryGetValue(resourceId, out var backoff) ? FirstDelay : backoff;
        _nextDelay[resourceId] = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));

        LogCrashed(resourceId, snapshot.ExitCode, delay);
        try
        {
            await Task.Delay(delay, stoppingToken);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (result.Success)
            {
                LogRestarted(resourceId);
            }
            else
            {
                LogRestartFailed(resourceId, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Resource} exited unexpectedly (exit code {ExitCode}); restarting it in {Delay}")]
    private partial void LogCrashed(string resource, int? exitCode, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "{Resource} restarted")]
    private partial void LogRestarted(string resource);

    [LoggerMessage(LogLevel.Error, "{Resource} could not be restarted: {Reason}")]
    private partial void LogRestartFailed(string resource, string? reason);
}

/// <summary>Marks a server without a connection string (smtp4dev) as one of ours, restarted when it crashes.</summary>
internal sealed class RestartOnCrashAnnotation : IResourceAnnotation;
