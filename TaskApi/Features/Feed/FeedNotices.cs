using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Feed;

/// <summary>
/// How the feed streams learn of in-app deliveries that became sent: a PostgreSQL NOTIFY on <see cref="Channel"/> per
/// delivery, issued in the transaction that made them sent. PostgreSQL hands it to every listening connection at commit
/// (every TaskApi replica's listener) and never for a transaction rolled back, so a stream is told exactly of what the
/// feed's queries will find.
/// </summary>
public static class FeedNotices
{
    public const string Channel = "notification_feed";

    /// <summary>Notifies the listeners of these in-app deliveries; call it in the transaction that marks them sent.</summary>
    public static Task NotifyAsync(TasksDbContext db, long[] deliveryIds, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(
            $"SELECT pg_notify({Channel}, json_build_object('userId', user_id, 'deliveryId', id)::text) FROM notification_deliveries WHERE id = ANY({deliveryIds})",
            ct);
}
