using TaskWorker.Delivery;

namespace TaskWorker.Tests.Delivery;

public sealed class PriorityTurnTests
{
    [Fact]
    public async Task Release_ExpressCallerQueuedAfterNormalOnes_GetsTheTurnFirst()
    {
        var turn = new PriorityTurn();
        await turn.TakeAsync(express: false, CancellationToken.None);
        var normal = turn.TakeAsync(express: false, CancellationToken.None);
        var express = turn.TakeAsync(express: true, CancellationToken.None);

        turn.Release();

        await express.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(normal.IsCompleted);
        turn.Release();
        await normal.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task YieldToExpress_ExpressCallerWaiting_HandsItTheTurnAndGetsItBackBeforeTheOtherNormalCallers()
    {
        var turn = new PriorityTurn();
        await turn.TakeAsync(express: false, CancellationToken.None);
        var otherNormal = turn.TakeAsync(express: false, CancellationToken.None);
        Assert.Null(turn.YieldToExpress(CancellationToken.None));
        var express = turn.TakeAsync(express: true, CancellationToken.None);

        var turnBack = turn.YieldToExpress(CancellationToken.None);

        Assert.NotNull(turnBack);
        await express.WaitAsync(TimeSpan.FromSeconds(5));
        turn.Release();
        await turnBack.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(otherNormal.IsCompleted);
    }

    [Fact]
    public async Task TakeAsync_CancelledWhileQueued_LeavesTheQueueAndTheTurnPassesToTheNext()
    {
        var turn = new PriorityTurn();
        await turn.TakeAsync(express: false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = turn.TakeAsync(express: true, cancel.Token);
        var next = turn.TakeAsync(express: false, CancellationToken.None);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        turn.Release();
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        // The cancelled caller never held the turn, so after next's release it is free at once.
        turn.Release();
        Assert.True(turn.TakeAsync(express: false, CancellationToken.None).IsCompletedSuccessfully);
    }
}
