using TaskApi.Features.Mailings;

namespace TaskApi.Features.Notifications.Dispatch;

/// <summary>A pending delivery due now, as the dispatch read it with its user (null fields: the user is gone).</summary>
public sealed record DueDelivery(
    long Id, string UserId, DeliveryChannel Channel, string? Address, int Dispatch, string? Name, string? TimeZone, TimeOnly? QuietFrom, TimeOnly? QuietTo);

/// <summary>What the dispatch does with a due delivery now.</summary>
public enum DispatchAction
{
    /// <summary>Email or SMS: a send record goes to the workers.</summary>
    Hand,

    /// <summary>In-app: sent at once, into the user's feed.</summary>
    Feed,

    /// <summary>Later (quiet hours, a burst's later second): it gets a due time and the Scheduler a request for it.</summary>
    Wait,

    /// <summary>Skipped: the user had their hourly cap of notifications.</summary>
    Throttle,

    /// <summary>Skipped: the address is gone (the user was erased since the notification was created).</summary>
    NoAddress,
}

public readonly record struct DispatchDecision(DueDelivery Delivery, DispatchAction Action, DateTimeOffset? WaitUntil = null);

/// <summary>
/// Decides what becomes of a notification's due deliveries, in id order. Express deliveries go at once. Otherwise, a
/// delivery dispatched for the first time (retries go when due) is skipped as throttled when its user is over the hourly
/// cap (every channel of the notification), and an email or SMS waits for the end of its user's quiet hours (in-app ones
/// go to the feed at once: they disturb nobody), and of the email and SMS going now the first
/// <see cref="NotificationOptions.BurstSize"/> go at once and the rest one second-slot of
/// <see cref="NotificationOptions.BurstPerSecond"/> after another.
/// </summary>
public static class DispatchPlan
{
    public static List<DispatchDecision> Decide(
        IReadOnlyList<DueDelivery> due, bool express, IReadOnlySet<string> throttledUsers, NotificationOptions options, DateTimeOffset now)
    {
        var decisions = new List<DispatchDecision>(due.Count);
        var goingNow = 0;
        foreach (var delivery in due)
        {
            var ruled = !express && delivery.Dispatch == 0;
            if (delivery.Channel != DeliveryChannel.InApp && delivery.Address is null)
            {
                decisions.Add(new(delivery, DispatchAction.NoAddress));
            }
            else if (ruled && throttledUsers.Contains(delivery.UserId))
            {
                decisions.Add(new(delivery, DispatchAction.Throttle));
            }
            else if (delivery.Channel == DeliveryChannel.InApp)
            {
                decisions.Add(new(delivery, DispatchAction.Feed));
            }
            else if (ruled && QuietUntil(delivery, now) is { } quietEnd)
            {
                decisions.Add(new(delivery, DispatchAction.Wait, quietEnd));
            }
            else if (ruled && goingNow >= options.BurstSize)
            {
                var slot = (goingNow++ - options.BurstSize) / options.BurstPerSecond + 1;
                decisions.Add(new(delivery, DispatchAction.Wait, now.AddSeconds(slot)));
            }
            else
            {
                goingNow += ruled ? 1 : 0;
                decisions.Add(new(delivery, DispatchAction.Hand));
            }
        }
        return decisions;
    }

    /// <summary>The end of the user's quiet hours when <paramref name="now"/> is in them; else null.</summary>
    public static DateTimeOffset? QuietUntil(DueDelivery delivery, DateTimeOffset now)
    {
        if (delivery is not { QuietFrom: { } from, QuietTo: { } to, TimeZone: { } timeZone })
        {
            return null;
        }
        // The hours outside the quiet ones are a send window from their end to their start.
        var end = SendWindowClock.NextOpening(new SendWindow(to, from), SendWindowClock.Zone(timeZone), now);
        return end > now ? end : null;
    }
}
