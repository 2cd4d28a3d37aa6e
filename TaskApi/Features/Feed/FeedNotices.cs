using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Feed;

/// <summary>
/// How in-app deliveries reach the feed: each gets its place in it (<c>feed_seq</c>, the stream's event id) and a
/// PostgreSQL NOTIFY on <see cref="Channel"/>, in the transaction that made it sent. PostgreSQL hands the notice to every
/// listening connection at commit (every TaskApi replica's <see cref="Streaming.FeedListener"/>) and never for a
/// transaction rolled back, so a stream is told exactly of what the feed's queries will find.
/// </summary>
public static class FeedNotices
{
    public const string Channel = "notification_feed";

    /// <summary>Where <c>feed_seq</c> values come from (migration <c>Feed</c>).</summary>
    public const string SequenceName = "notification_feed_seq";

    /// <summary>
    /// The transaction-scoped advisory lock (an arbitrary constant of this feature) that makes <c>feed_seq</c> values
    /// become visible in their order: a stream reads on after the last id it sent, and a value taken earlier but committed
    /// later would fall behind it, never to be sent. Held from <see cref="NotifyAsync"/> to the commit.
    /// </summary>
    private const long FeedOrderLock = 0x66_65_65_64; // "feed"

    /// <summary>
    /// Puts these in-app deliveries, already marked sent in this transaction, into their users' feeds and notifies the
    /// listeners; call it last before the commit (the feed's order lock is held from here until then). Deliveries
    /// already in the feed, on another channel or not sent are left alone, so a repeated call does nothing twice.
    /// </summary>
    public static async Task NotifyAsync(TasksDbContext db, long[] deliveryIds, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({FeedOrderLock})", ct);
        await db.Database.ExecuteSqlAsync(
            $"""
            WITH fed AS (
                UPDATE notification_deliveries SET feed_seq = nextval({SequenceName}::regclass)
                WHERE id = ANY({deliveryIds}) AND channel = 'in_app' AND status = 'sent' AND feed_seq IS NULL
                RETURNING id, user_id, feed_seq)
            SELECT pg_notify({Channel}, json_build_object('userId', user_id, 'deliveryId', id, 'feedSeq', feed_seq)::text) FROM fed
            """,
            ct);
    }
}
