using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Campaigns;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Templates;

/// <summary>
/// Whether campaigns still need a template. Only deleting waits for them: a campaign takes a copy of its template's
/// parts when it starts sending, so replacing the template (PUT) changes campaigns not yet started and none being sent.
/// </summary>
public static class TemplateUsage
{
    /// <summary>True while a campaign with status scheduled or sending uses the template.</summary>
    public static Task<bool> IsInUseAsync(TasksDbContext db, long templateId, CancellationToken ct) =>
        db.Campaigns.AnyAsync(c => c.TemplateId == templateId && (c.Status == CampaignStatus.Scheduled || c.Status == CampaignStatus.Sending), ct);
}
