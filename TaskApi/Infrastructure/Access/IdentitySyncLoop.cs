using Microsoft.Extensions.Options;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// A loop that reads something from the identity service every <see cref="AuthOptions.SyncInterval"/>. While the identity
/// service cannot be reached it keeps trying, saying so once when that starts and once when it ends.
/// </summary>
public abstract partial class IdentitySyncLoop(IOptions<AuthOptions> options, ILogger logger) : BackgroundService
{
    /// <summary>What the loop reads, for its log lines ("revocations", "audit events").</summary>
    protected abstract string What { get; }

    /// <summary>One pass: read and apply what is new.</summary>
    protected abstract Task PassAsync(CancellationToken ct);

    /// <summary>Failures a pass can have that the next pass may not: the identity service or the database away, a bad answer.</summary>
    /// <remarks>A database outage included (<see cref="Outages.IsOutage"/>): left to propagate, it stopped the whole host.</remarks>
    protected virtual bool IsTransient(Exception e) =>
        e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException || Outages.IsOutage(e);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
                if (failing)
                {
                    LogRecovered(logger, What);
                    failing = false;
                }
            }
            catch (Exception e) when (IsTransient(e) && !stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    LogFailed(logger, What, e.Message);
                    failing = true;
                }
            }
            try
            {
                await Task.Delay(options.Value.SyncInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Cannot read the identity service's {What} ({Reason}); trying again every interval")]
    private static partial void LogFailed(ILogger logger, string what, string reason);

    [LoggerMessage(LogLevel.Information, "Reading the identity service's {What} again")]
    private static partial void LogRecovered(ILogger logger, string what);
}
