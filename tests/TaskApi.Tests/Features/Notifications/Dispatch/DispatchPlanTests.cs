using TaskApi.Features.Notifications;
using TaskApi.Features.Notifications.Dispatch;

namespace TaskApi.Tests.Features.Notifications.Dispatch;

/// <summary>The dispatch's decisions, without a database: which rules apply to which delivery.</summary>
public sealed class DispatchPlanTests
{
    // 23:30 in Moscow (UTC+3): inside quiet hours 22:00-08:00, which end at 05:00 UTC the next day.
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 20, 30, 0, TimeSpan.Zero);
    private static readonly NotificationOptions Options = new() { BurstSize = 2, BurstPerSecond = 2, MaxPerUserPerHour = 1 };
    private static readonly HashSet<string> NoneThrottled = [];

    private static DueDelivery Email(long id, string user = "u", int dispatch = 0, bool quiet = false, string? address = "a@example.com") =>
        new(id, user, DeliveryChannel.Email, address, dispatch, null, "Europe/Moscow",
            quiet ? new TimeOnly(22, 0) : null, quiet ? new TimeOnly(8, 0) : null);

    [Fact]
    public void Decide_QuietHoursSpanningMidnight_WaitsUntilTheirLocalEnd()
    {
        var decision = Assert.Single(DispatchPlan.Decide([Email(1, quiet: true)], express: false, NoneThrottled, Options, Now));

        Assert.Equal((DispatchAction.Wait, new DateTimeOffset(2026, 12, 8, 5, 0, 0, TimeSpan.Zero)), (decision.Action, decision.WaitUntil));
    }

    [Fact]
    public void Decide_ExpressOrARetry_GoesNowWhateverTheQuietHoursCapAndBurst()
    {
        DueDelivery[] due = [Email(1, quiet: true), Email(2), Email(3), Email(4)];

        var express = DispatchPlan.Decide(due, express: true, new HashSet<string> { "u" }, Options, Now);
        var retries = DispatchPlan.Decide(due.Select(d => d with { Dispatch = 1 }).ToList(), express: false, new HashSet<string> { "u" }, Options, Now);

        Assert.All(express.Concat(retries), d => Assert.Equal(DispatchAction.Hand, d.Action));
    }

    [Fact]
    public void Decide_MoreThanABurst_SpreadsTheRestOverSecondSlotsAndFeedsInAppAtOnce()
    {
        var inApp = new DueDelivery(9, "u", DeliveryChannel.InApp, null, 0, null, "UTC", null, null);

        var decisions = DispatchPlan.Decide([Email(1), Email(2), inApp, Email(3), Email(4), Email(5)], express: false, NoneThrottled, Options, Now);

        Assert.Equal([DispatchAction.Hand, DispatchAction.Hand, DispatchAction.Feed, DispatchAction.Wait, DispatchAction.Wait, DispatchAction.Wait],
            decisions.Select(d => d.Action));
        Assert.Equal([Now.AddSeconds(1), Now.AddSeconds(1), Now.AddSeconds(2)], decisions.Skip(3).Select(d => d.WaitUntil!.Value));
    }

    [Fact]
    public void Decide_ThrottledUserOrErasedAddress_SkipsWithTheReason()
    {
        var inApp = new DueDelivery(2, "capped", DeliveryChannel.InApp, null, 0, null, "UTC", null, null);

        var decisions = DispatchPlan.Decide([Email(1, user: "capped"), inApp, Email(3, address: null)], express: false, new HashSet<string> { "capped" }, Options, Now);

        Assert.Equal([DispatchAction.Throttle, DispatchAction.Throttle, DispatchAction.NoAddress], decisions.Select(d => d.Action));
    }
}
