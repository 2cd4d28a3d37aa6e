using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>
/// A notification's status changes after its creation: sending once dispatched, done once no delivery is pending (then
/// the workers forget it: a tombstone on <c>notifications.changes</c>). In the caller's transaction, which holds the
/// notifications' rows.
/// </summary>
public static class NotificationCompletion
{
    public static async Task SetStatusAsync(TasksDbContext db, Notification notification, NotificationStatus status, DateTimeOffset now, CancellationToken ct)
    {
        notification.Status = status;
        notification.UpdatedAt = now;
        await db.Notifications.Where(n => n.Id == notification.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.Status, status).SetProperty(n => n.UpdatedAt, now), ct);
    }

    /// <summary>Makes each sending notification of <paramref name="notifications"/> with no pending delivery done; answers those.</summary>
    public static async Task<List<Notification>> FinishIfDoneAsync(
        TasksDbContext db, IReadOnlyCollection<Notification> notifications, string? traceParent, DateTimeOffset now, CancellationToken ct)
    {
        var sending = notifications.Where(n => n.Status == NotificationStatus.Sending).Select(n => n.Id).ToArray();
        if (sending.Length == 0)
        {
            return [];
        }
        var withPending = await db.NotificationDeliveries
            .Where(d => sending.Contains(d.NotificationId) && d.Status == DeliveryStatus.Pending)
            .Select(d => d.NotificationId).Distinct().ToListAsync(ct);
        var done = notifications.Where(n => n.Status == NotificationStatus.Sending && !withPending.Contains(n.Id)).ToList();
        foreach (var notification in done)
        {
            await SetStatusAsync(db, notification, NotificationStatus.Done, now, ct);
            db.OutboxMessages.Add(NotificationRecords.Tombstone(notification, traceParent, now));
        }
        await db.SaveChangesAsync(ct);
        return done;
    }
}
