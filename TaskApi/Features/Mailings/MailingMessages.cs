using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings;

/// <summary>
/// The statements that change a mailing with its messages. Every transaction that changes messages locks their mailing
/// row first (<see cref="LockAsync"/>), and only then the messages, so the counts stay exact and two writers never
/// wait for each other in opposite orders.
/// </summary>
public static class MailingMessages
{
    private static readonly string Pending = StatusNames<MessageStatus>.Of(MessageStatus.Pending);

    /// <summary>The mailing, tracked and locked until the transaction ends; null when there is none.</summary>
    public static Task<Mailing?> LockAsync(TasksDbContext db, long mailingId, CancellationToken cancellationToken) =>
        db.Mailings.FromSql($"SELECT * FROM mailings WHERE id = {mailingId} FOR UPDATE").AsTracking().FirstOrDefaultAsync(cancellationToken);

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
