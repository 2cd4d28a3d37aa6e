using Microsoft.Extensions.Options;
using TaskApi.Features.Tasks.Scheduling;

namespace TaskApi.Infrastructure.Outbox;

/// <summary>
/// Every <see cref="ReconciliationOptions.Interval"/>, requests again from PostgreSQL (through the outbox) what waits in the
/// Scheduler, so Redis losing its data loses nothing. A failed pass is logged and the next one tries again.
/// </summary>
public abstract partial class PeriodicReconciler(OutboxSignal outbox, IOptions<ReconciliationOptions> options, TimeProvider clock, ILogger logger)
    : BackgroundService
{
    protected ReconciliationOptions Options { get; } = options.Value;

    protected TimeProvider Clock { get; } = clock;

    /// <summary>What is requested, for the log ("task schedules").</summary>
    protected abstract string What { get; }

    /// <summary>One pass: writes the outbox records and returns how many.</summary>
    protected abstract Task<int> ReconcileAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Options.Interval, Clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await ReconcileAsync(stoppingToken) is > 0 and var requested)
                {
                    outbox.Notify();
                    LogRequested(logger, requested, What);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, What);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Requested {Count} waiting {What} again")]
    private static partial void LogRequested(ILogger logger, int count, string what);

    [LoggerMessage(LogLevel.Warning, "Reconciling waiting {What} failed; trying again next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what);
}
