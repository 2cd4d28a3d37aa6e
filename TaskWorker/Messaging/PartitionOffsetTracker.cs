namespace TaskWorker.Messaging;

/// <summary>
/// The offsets of one partition assignment that were consumed and not yet finished. Records finish in any
/// order, but a partition's committed offset means "everything before it is done", so the offset to commit is
/// the lowest unfinished one, or one past the highest consumed when nothing is unfinished.
/// </summary>
/// <remarks>Not thread-safe: the consume loop owns it.</remarks>
public sealed class PartitionOffsetTracker
{
    private const long NothingConsumed = -1;

    private readonly SortedSet<long> _unfinished = [];
    private long _nextAfterHighest = NothingConsumed;
    private long _lastTaken = NothingConsumed;

    /// <summary>The offset to commit, or null before any record was consumed.</summary>
    public long? CommittableOffset =>
        _nextAfterHighest == NothingConsumed ? null
        : _unfinished.Count > 0 ? _unfinished.Min
        : _nextAfterHighest;

    public void Consumed(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (_nextAfterHighest == NothingConsumed)
        {
            // The first record sits at the position the group had already committed (or the reset position),
            // so committing it again would change nothing.
            _lastTaken = offset;
        }
        _unfinished.Add(offset);
        _nextAfterHighest = Math.Max(_nextAfterHighest, offset + 1);
    }

    /// <summary>Marks a consumed record as done with; an offset that was never consumed changes nothing.</summary>
    public void Finished(long offset) => _unfinished.Remove(offset);

    /// <summary>
    /// Returns the <see cref="CommittableOffset"/> when it moved past the one returned last, so each offset is stored once.
    /// </summary>
    public bool TryTakeAdvancedOffset(out long offset)
    {
        offset = CommittableOffset ?? NothingConsumed;
        if (offset <= _lastTaken)
        {
            return false;
        }
        _lastTaken = offset;
        return true;
    }
}
