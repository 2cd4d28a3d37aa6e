using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Tasks.CreateTask;

/// <summary>How <see cref="GroupCommit"/> coalesces creations; bound from the <c>GroupCommit</c> section.</summary>
public sealed class GroupCommitOptions
{
    public const string SectionName = "GroupCommit";

    /// <summary>Most creations written by one statement.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Statements in flight at once; while they run, the next requests gather into the next batch.</summary>
    public int MaxConcurrentBatches { get; set; } = 4;
}

/// <summary>
/// Writes concurrent REST creations together: each request queues its task and waits; a writer takes everything queued
/// at that moment (up to <see cref="GroupCommitOptions.MaxBatchSize"/>) and stores it with one statement, one
/// transaction and so one WAL flush (<see cref="TaskCreation.InsertAsync"/>), then answers each request. Nothing waits
/// on a timer: under light load a request is written at once, alone; under load requests gather while the previous
/// statements run. Each request keeps its own validation, idempotency key and answer, and is answered only after the
/// statement holding it has committed; a failed statement fails every request in it (none of its rows exist).
/// <para>
/// Traces: the statement runs in a span of the first request's trace (so a request that was written alone, the light-load
/// case, has its database spans in its own trace) and links the traces of the others in its batch.
/// </para>
/// </summary>
public sealed class GroupCommit(IServiceScopeFactory scopes, TaskMetrics metrics, IOptions<GroupCommitOptions> options) : BackgroundService
{
    private static readonly ActivitySource Source = new(TaskMetrics.MeterName);

    private readonly GroupCommitOptions _options = options.Value;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>True when the task was stored; false when its idempotency key already belonged to a task.</summary>
    public Task<bool> CreateAsync(NewTask task)
    {
        var pending = new Pending(task, Activity.Current?.Context ?? default, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("TaskApi is stopping; the task was not stored.");
        }
        return pending.Stored.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_options.MaxConcurrentBatches);
        var writes = new List<Task>();
        // Requests already queued when the host stops are still written: each one's caller is waiting for its answer.
        stoppingToken.Register(() => _queue.Writer.TryComplete());
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            await slots.WaitAsync(CancellationToken.None);
            var batch = new List<Pending>();
            while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            writes.RemoveAll(write => write.IsCompleted);
            writes.Add(WriteAsync(batch, slots));
        }
        await Task.WhenAll(writes);
    }

    private async Task WriteAsync(List<Pending> batch, SemaphoreSlim slots)
    {
        try
        {
            using var activity = Source.StartActivity("tasks group commit", ActivityKind.Internal, batch[0].Trace,
                links: batch.Skip(1).Where(p => p.Trace != default).Select(p => new ActivityLink(p.Trace)));
            activity?.SetTag("tasks.batch_size", batch.Count);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
            var stored = await TaskCreation.InsertAsync(db, batch.Select(p => p.Task).ToList(), CancellationToken.None);
            metrics.GroupCommitted(batch.Count);
            foreach (var pending in batch)
            {
                pending.Stored.TrySetResult(stored.Contains(pending.Task.Task.Id));
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Stored.TrySetException(e);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private sealed record Pending(NewTask Task, ActivityContext Trace, TaskCompletionSource<bool> Stored);
}
