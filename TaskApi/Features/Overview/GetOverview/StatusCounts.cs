using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Features.Notifications;
using TaskApi.Infrastructure;
using TaskApi.Model;

namespace TaskApi.Features.Overview.GetOverview;

/// <summary>
/// The exact counts of tasks and of notification deliveries by status, as of <see cref="StatusCountsRead.At"/>: read at most
/// once per <see cref="OverviewOptions.CountsMaxAge"/> on this instance and shared by every request meanwhile (one that
/// comes while a read runs waits for it), so any number of open consoles, each asking every 2 s, costs one pair of scans.
/// A request that finds the shared read past half its age starts the next one and is answered with the shared one, so
/// while consoles keep asking none of them waits for the scans; only the first request after a quiet while does.
/// </summary>
public sealed class StatusCounts(IServiceScopeFactory scopes, IOptions<OverviewOptions> options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private Task<StatusCountsRead>? _latest;
    private Task<StatusCountsRead>? _next;

    /// <summary>The latest read if it started less than the maximum age ago (it may still be running), else a new one.</summary>
    public Task<StatusCountsRead> ReadAsync(CancellationToken cancellationToken)
    {
        var maxAge = options.Value.CountsMaxAge;
        if (maxAge == TimeSpan.Zero)
        {
            return ReadNowAsync(cancellationToken);
        }
        lock (_gate)
        {
            if (_next is { IsCompleted: true } next)
            {
                _next = null;
                if (next.IsCompletedSuccessfully)
                {
                    _latest = next;
                }
            }
            var age = _latest is { IsCompletedSuccessfully: true } done ? clock.GetUtcNow() - done.Result.At : TimeSpan.Zero;
            if (_latest is not { } latest || latest.IsFaulted || latest.IsCanceled || age >= maxAge)
            {
                // Not the caller's token: the read is everyone's, so one caller going away must not fail it for the others.
                _latest = latest = _next ?? ReadNowAsync(CancellationToken.None);
                _next = null;
            }
            else if (age >= maxAge / 2)
            {
                _next ??= ReadNowAsync(CancellationToken.None);
            }
            return latest.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Both counts, each on a pooled context (and so a connection) of its own, concurrently: about the slower one's time
    /// rather than the sum.
    /// </summary>
    private async Task<StatusCountsRead> ReadNowAsync(CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        var tasks = InOwnContextAsync(db => CountByStatusAsync(db.Tasks, t => t.Status, cancellationToken));
        var deliveries = InOwnContextAsync(db => CountByStatusAsync(db.NotificationDeliveries, d => d.Status, cancellationToken));
        return new StatusCountsRead(at, await tasks, await deliveries);
    }

    private async Task<T> InOwnContextAsync<T>(Func<TasksDbContext, Task<T>> read)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TasksDbContext>());
    }

    /// <summary>How many rows have each status (statuses no row has are missing).</summary>
    public static Task<Dictionary<TStatus, long>> CountByStatusAsync<TRow, TStatus>(IQueryable<TRow> rows, Expression<Func<TRow, TStatus>> status,
        CancellationToken cancellationToken) where TStatus : struct, Enum =>
        rows.GroupBy(status).Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
}

/// <summary>Counts by status read together.</summary>
/// <param name="At">When the read started: every change committed before it is counted.</param>
/// <param name="Tasks">Tasks by status.</param>
/// <param name="NotificationDeliveries">Notification deliveries by status.</param>
public sealed record StatusCountsRead(DateTimeOffset At, Dictionary<TaskItemStatus, long> Tasks, Dictionary<DeliveryStatus, long> NotificationDeliveries);
