using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Templates.ListTemplates;

/// <summary><c>GET /templates</c>: a page of templates in id order.</summary>
public sealed class ListTemplatesEndpoint(TasksDbContext db) : Endpoint<PageRequest, ItemsPage<TemplateResponse>>
{
    public override void Configure()
    {
        Get("/");
        Group<TemplatesGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint.WithName("ListTemplates"));
        Summary(summary =>
        {
            summary.Summary = "List email templates in id order";
            summary.Description = "Paged with page (from 1) and pageSize (1..100, default 20).";
        });
    }

    public override async Task<ItemsPage<TemplateResponse>> ExecuteAsync(PageRequest request, CancellationToken ct)
    {
        var templates = db.EmailTemplates.AsNoTracking();
        var total = await templates.CountUpToCapAsync(ct);
        var items = await templates.OrderBy(t => t.Id).PageOf(request).ToListAsync(ct);
        return new ItemsPage<TemplateResponse>(items.Select(TemplateResponse.From).ToList(), request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped);
    }
}
