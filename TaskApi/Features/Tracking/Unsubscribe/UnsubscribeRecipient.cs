using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Campaigns;
using TaskApi.Features.Lists;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Tracking.Unsubscribe;

/// <summary>
/// Who an unsubscribe link is for: the address of one campaign email, and the lists that campaign was sent to.
/// Unsubscribing takes the address off every one of those lists (it never receives their campaigns again) and marks
/// the email, so the campaign's statistics count it.
/// </summary>
public sealed record UnsubscribeRecipient(long MessageId, string Email, long[] ListIds, IReadOnlyList<string> ListNames, bool Unsubscribed)
{
    /// <summary>The recipient of a campaign email, or null (no such email, or one of ours without lists).</summary>
    public static async Task<UnsubscribeRecipient?> FindAsync(TasksDbContext db, long messageId, CancellationToken cancellationToken)
    {
        var email = await db.EmailMessages.AsNoTracking()
            .Where(m => m.Id == messageId && m.CampaignId != null)
            .Join(db.Campaigns, m => m.CampaignId, c => c.Id, (m, c) => new { m.Email, m.UnsubscribedAt, c.ListIds })
            .SingleOrDefaultAsync(cancellationToken);
        if (email is null)
        {
            return null;
        }
        var names = await db.SubscriberLists.Where(l => email.ListIds.Contains(l.Id)).OrderBy(l => l.Name).Select(l => l.Name).ToListAsync(cancellationToken);
        return new UnsubscribeRecipient(messageId, email.Email, email.ListIds, names, email.UnsubscribedAt is not null);
    }

    /// <summary>Takes the address off the lists and marks the email (idempotent: a second time changes nothing).</summary>
    public async Task UnsubscribeAsync(TasksDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await Unsubscription.UnsubscribeAsync(db, Email, ListIds, now, cancellationToken);
            await db.EmailMessages.Where(m => m.Id == MessageId && m.UnsubscribedAt == null)
                .ExecuteUpdateAsync(m => m.SetProperty(e => e.UnsubscribedAt, now.TruncateToMicroseconds()), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }
}
