using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings;

/// <summary>
/// The statements that change a mailing with its messages. Every transaction that changes messages locks their mailing
/// row first (<c>LockAsync</c>), and only then the messages, so the counts stay exact and two writers never
/// wait for each other in opposite orders.
/// </summary>
public static class MailingMessages
{
    private static readonly string Pending = StatusNames<MessageStatus>.Of(MessageStatus.Pending);

    /// <summary>The mailing, tracked and locked until the transaction ends; null when there is none.</summary>
    public static async Task<Mailing?> LockAsync(TasksDbContext db, long mailingId, CancellationToken cancellationToken) =>
        (await LockAsync(db, [mailingId], cancellationToken)).Values.SingleOrDefault();

    /// <summary>The mailings, tracked and locked (in id order) until the transaction ends.</summary>
    public static async Task<Dictionary<long, Mailing>> LockAsync(TasksDbContext db, long[] mailingIds, CancellationToken cancellationToken)
    {
        // Locked by a statement of its own: EF maps FromSql results of an entity with a complex property (Counts) to the wrong columns.
        await db.Database.ExecuteSqlAsync($"SELECT id FROM mailings WHERE id = ANY({mailingIds}) ORDER BY id FOR UPDATE", cancellationToken);
        return await db.Mailings.AsTracking().Where(m => mailingIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
    }

    /// <summary>Ends every pending message of the mailing with <paramref name="status"/> and counts them into its counts.</summary>
    public static async Task<int> EndPendingAsync(TasksDbContext db, Mailing mailing, MessageStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = StatusNames<MessageStatus>.Of(status);
        var ended = await db.Database.ExecuteSqlAsync(
            $"UPDATE sms_messages SET status = {name}, finished_at = {now}, due_at = NULL WHERE mailing_id = {mailing.Id} AND status = {Pending}",
            cancellationToken);
        mailing.Counts.Settle(status, ended);
        return ended;
    }
}
