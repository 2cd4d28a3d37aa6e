using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Campaigns;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists;

/// <summary>Whether campaigns depend on a list, so it must not be deleted from under them.</summary>
public static class ListUsage
{
    /// <summary>
    /// True while a campaign that is scheduled or sending sends to the list. Called with the list's row locked, so a
    /// campaign taking the list meanwhile waits for the answer.
    /// </summary>
    public static Task<bool> IsInUseAsync(TasksDbContext db, long listId, CancellationToken ct) =>
        db.Campaigns.AnyAsync(c => (c.Status == CampaignStatus.Scheduled || c.Status == CampaignStatus.Sending) && c.ListIds.Contains(listId), ct);
}
