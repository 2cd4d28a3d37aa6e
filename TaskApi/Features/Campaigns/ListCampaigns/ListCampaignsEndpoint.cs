using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Campaigns.ListCampaigns;

/// <summary>Filter and page of <c>GET /campaigns</c>, from the query string.</summary>
public sealed class ListCampaignsRequest : IPagedRequest, IStatusFilteredRequest
{
    /// <summary>Only campaigns in this status: scheduled, sending, sent or cancelled.</summary>
    public string? Status { get; set; }

    public int? Page { get; set; }

    public int? PageSize { get; set; }
}

public sealed class ListCampaignsValidator : Validator<ListCampaignsRequest>
{
    public ListCampaignsValidator()
    {
        Include(new StatusFilterRules<CampaignStatus>());
        Include(new PagingRules());
    }
}

/// <summary><c>GET /campaigns</c>: a page of campaigns, newest first, optionally of one status.</summary>
public sealed class ListCampaignsEndpoint(TasksDbContext db) : Endpoint<ListCampaignsRequest, ItemsPage<CampaignResponse>>
{
    public override void Configure()
    {
        Get("/");
        Group<CampaignsGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint.WithName("ListCampaigns"));
        Summary(summary =>
        {
            summary.Summary = "List campaigns, newest first";
            summary.Description = "Optionally filtered by status; " + Paging.Description + ".";
        });
    }

    public override async Task<ItemsPage<CampaignResponse>> ExecuteAsync(ListCampaignsRequest request, CancellationToken ct)
    {
        var campaigns = db.Campaigns.AsNoTracking();
        if (request.Status is not null)
        {
            var status = StatusNames<CampaignStatus>.Parse(request.Status);
            campaigns = campaigns.Where(c => c.Status == status);
        }
        var total = await campaigns.CountUpToCapAsync(ct);
        var items = await campaigns.OrderByDescending(c => c.Id).PageOf(request).ToListAsync(ct);
        return new ItemsPage<CampaignResponse>(items.Select(CampaignResponse.Of).ToList(), request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped);
    }
}
