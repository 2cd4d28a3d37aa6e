using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Features.Tasks.Scheduling;

namespace TaskApi.Infrastructure.Outbox;

/// <summary>
/// Every <see cref="ReconciliationOptions.Interval"/>, requests again from PostgreSQL (through the outbox) what waits in the
/// Scheduler, so Redis losing its data loses nothing, and dispatches again what a silent channel left unreported
/// (<see cref="ChannelSilence{TProgress}"/>), so Kafka losing its data loses nothing. A failed pass is logged and the next
/// one tries again.
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

    /// <summary>Runs <paramref name="work"/> in a transaction of its own (again from a clean slate when the connection fails).</summary>
    protected static Task<T> InTransactionAsync<T>(TasksDbContext db, Func<Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        });

    protected void LogDispatchedAgain(int count, TimeSpan silence) => LogDispatchedAgain(logger, count, What, silence);

    [LoggerMessage(LogLevel.Warning, "Reconciling {What}: dispatched {Count} unreported items again, as nothing moved for {Silence} (their Kafka records were lost, or the workers are down)")]
    private static partial void LogDispatchedAgain(ILogger logger, int count, string what, TimeSpan silence);

    [LoggerMessage(LogLevel.Information, "Requested {Count} waiting {What} again")]
    private static partial void LogRequested(ILogger logger, int count, string what);

    [LoggerMessage(LogLevel.Warning, "Reconciling waiting {What} failed; trying again next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what);
}
