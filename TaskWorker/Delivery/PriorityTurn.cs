namespace TaskWorker.Delivery;

/// <summary>
/// One turn that callers take one at a time, like a <see cref="SemaphoreSlim"/> of one, except that express callers are
/// served before every normal caller waiting, and a normal holder can hand the turn to an express caller that came after
/// it and get it back ahead of the other normal callers. Among callers of one kind, first come, first served.
/// </summary>
internal sealed class PriorityTurn
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _express = new();
    private readonly LinkedList<TaskCompletionSource> _normal = new();
    private bool _held;

    /// <summary>Completes once the caller holds the turn; it must <see cref="Release"/> it then.</summary>
    public Task TakeAsync(bool express, CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> waiter;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return Task.CompletedTask;
            }
            waiter = (express ? _express : _normal).AddLast(NewWaiter());
        }
        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>
    /// When an express caller waits, gives it the turn and returns the wait for the turn back, first among the normal
    /// callers; null when none waits (the caller keeps the turn).
    /// </summary>
    public Task? YieldToExpress(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> waiter;
        lock (_lock)
        {
            if (_express.First is not { } next)
            {
                return null;
            }
            waiter = _normal.AddFirst(NewWaiter());
            _express.RemoveFirst();
            next.Value.TrySetResult();
        }
        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Passes the turn to the first express caller waiting, else the first normal one, else frees it.</summary>
    public void Release()
    {
        lock (_lock)
        {
            if ((_express.First ?? _normal.First) is not { } next)
            {
                _held = false;
                return;
            }
            next.List!.Remove(next);
            next.Value.TrySetResult();
        }
    }

    private async Task WaitAsync(LinkedListNode<TaskCompletionSource> waiter, CancellationToken cancellationToken)
    {
        // A waiter still queued when cancelled leaves the queue; one already given the turn keeps it (and must release it).
        await using var registration = cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                if (waiter.List is { } queue)
                {
                    queue.Remove(waiter);
                    waiter.Value.TrySetCanceled(cancellationToken);
                }
            }
        });
        await waiter.Value.Task;
    }

    private static TaskCompletionSource NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
