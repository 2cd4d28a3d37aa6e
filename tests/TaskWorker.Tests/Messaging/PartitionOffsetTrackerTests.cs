using TaskWorker.Messaging;

namespace TaskWorker.Tests.Messaging;

public sealed class PartitionOffsetTrackerTests
{
    private readonly PartitionOffsetTracker _tracker = new();

    [Fact]
    public void CommittableOffset_NothingConsumed_IsNullAndNothingToStore()
    {
        Assert.Null(_tracker.CommittableOffset);
        Assert.False(_tracker.TryTakeAdvancedOffset(out _));
    }

    [Fact]
    public void CommittableOffset_NothingFinished_IsTheFirstConsumedWhichNeedsNoStore()
    {
        Consume(5, 6, 7);

        Assert.Equal(5, _tracker.CommittableOffset);
        Assert.False(_tracker.TryTakeAdvancedOffset(out _));
    }

    [Fact]
    public void CommittableOffset_FinishedOutOfOrder_StopsAtTheLowestUnfinished()
    {
        Consume(5, 6, 7, 8, 9);

        Finish(9, 7, 6);
        Assert.Equal(5, _tracker.CommittableOffset);
        Assert.False(_tracker.TryTakeAdvancedOffset(out _));

        Finish(5);
        Assert.Equal(8, _tracker.CommittableOffset);
        Assert.True(_tracker.TryTakeAdvancedOffset(out var offset));
        Assert.Equal(8, offset);
    }

    [Fact]
    public void CommittableOffset_AllFinished_IsOnePastTheHighestConsumed()
    {
        Consume(5, 6, 7);

        Finish(7, 5, 6);

        Assert.Equal(8, _tracker.CommittableOffset);
    }

    [Fact]
    public void CommittableOffset_GapsBetweenOffsets_MovesAcrossThem()
    {
        // Compaction and transaction markers leave offsets that are never delivered.
        Consume(10, 12, 15);

        Finish(10);
        Assert.Equal(12, _tracker.CommittableOffset);

        Finish(15);
        Assert.Equal(12, _tracker.CommittableOffset);

        Finish(12);
        Assert.Equal(16, _tracker.CommittableOffset);
    }

    [Fact]
    public void TryTakeAdvancedOffset_UnchangedSinceLastTaken_ReturnsFalse()
    {
        Consume(1, 2);
        Finish(1);
        Assert.True(_tracker.TryTakeAdvancedOffset(out _));

        Assert.False(_tracker.TryTakeAdvancedOffset(out _));
    }

    [Fact]
    public void Consumed_AfterEverythingFinished_HoldsTheOffsetAtTheNewRecord()
    {
        Consume(1);
        Finish(1);
        Assert.True(_tracker.TryTakeAdvancedOffset(out var allFinished));
        Assert.Equal(2, allFinished);

        Consume(2);

        Assert.Equal(2, _tracker.CommittableOffset);
        Assert.False(_tracker.TryTakeAdvancedOffset(out _));
    }

    [Fact]
    public void Finished_OffsetNeverConsumed_ChangesNothing()
    {
        Consume(3, 4);

        Finish(99);

        Assert.Equal(3, _tracker.CommittableOffset);
    }

    private void Consume(params long[] offsets)
    {
        foreach (var offset in offsets)
        {
            _tracker.Consumed(offset);
        }
    }

    private void Finish(params long[] offsets)
    {
        foreach (var offset in offsets)
        {
            _tracker.Finished(offset);
        }
    }
}
