using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists;

/// <summary>An address leaving lists: what an unsubscribe link leads to.</summary>
public static class Unsubscription
{
    /// <summary>
    /// Unsubscribes <paramref name="email"/> (compared as stored, so case-insensitively) from those of
    /// <paramref name="listIds"/> it is subscribed to: their status becomes unsubscribed, unsubscribedAt and updatedAt
    /// <paramref name="now"/>. Idempotent: a list the address already left, or never was on, changes nothing.
    /// </summary>
    /// <returns>How many subscriptions it ended.</returns>
    public static Task<int> UnsubscribeAsync(TasksDbContext db, string email, IReadOnlyCollection<long> listIds, DateTimeOffset now, CancellationToken ct)
    {
        var normalized = EmailAddresses.Normalized(email);
        var at = now.TruncateToMicroseconds();
        return db.Subscribers
            .Where(s => listIds.Contains(s.ListId) && s.NormalizedEmail == normalized && s.Status == SubscriberStatus.Subscribed)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SubscriberStatus.Unsubscribed)
                .SetProperty(s => s.UnsubscribedAt, at)
                .SetProperty(s => s.UpdatedAt, at), ct);
    }
}
