using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Campaigns;

/// <summary>
/// The statements that change a campaign with its emails. Every transaction that changes a campaign's emails locks the
/// campaign row first, and only then the emails, so the counts stay exact and writers never wait in opposite orders.
/// </summary>
public static class CampaignEmails
{
    private static readonly string Pending = StatusNames<EmailStatus>.Of(EmailStatus.Pending);

    public static async Task<Campaign?> LockAsync(TasksDbContext db, long campaignId, CancellationToken cancellationToken) =>
        (await LockAsync(db, [campaignId], cancellationToken)).Values.SingleOrDefault();

    /// <summary>The campaigns, tracked and locked (in id order) until the transaction ends.</summary>
    public static async Task<Dictionary<long, Campaign>> LockAsync(TasksDbContext db, long[] campaignIds, CancellationToken cancellationToken)
    {
        // Locked by a statement of its own: EF maps FromSql results of an entity with a complex property (Counts) to the wrong columns.
        await db.Database.ExecuteSqlAsync($"SELECT id FROM campaigns WHERE id = ANY({campaignIds}) ORDER BY id FOR UPDATE", cancellationToken);
        return await db.Campaigns.AsTracking().Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
    }

    /// <summary>Cancels every pending email of the campaign and counts them into its counts.</summary>
    public static async Task<int> CancelPendingAsync(TasksDbContext db, Campaign campaign, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cancelled = StatusNames<EmailStatus>.Of(EmailStatus.Cancelled);
        var count = await db.Database.ExecuteSqlAsync(
            $"UPDATE email_messages SET status = {cancelled}, finished_at = {now}, due_at = NULL WHERE campaign_id = {campaign.Id} AND status = {Pending}",
            cancellationToken);
        campaign.Counts.Add(EmailStatus.Pending, -count);
        campaign.Counts.Add(EmailStatus.Cancelled, count);
        return count;
    }
}
