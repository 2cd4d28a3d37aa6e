using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists.ListLists;

/// <summary>Page of <c>GET /lists</c>, from the query string.</summary>
public sealed class ListListsRequest : IPagedRequest
{
    public int? Page { get; set; }

    public int? PageSize { get; set; }
}

public sealed class ListListsValidator : Validator<ListListsRequest>
{
    public ListListsValidator() => Include(new PagingRules());
}

/// <summary><c>GET /lists</c>: a page of lists in id order, each with its counts.</summary>
public sealed class ListListsEndpoint(TasksDbContext db) : Endpoint<ListListsRequest, ItemsPage<SubscriberListResponse>>
{
    public override void Configure()
    {
        Get("/");
        Group<ListsGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint.WithName("ListLists"));
        Summary(summary =>
        {
            summary.Summary = "List subscriber lists in id order";
            summary.Description = "Each with its counts of subscribed and unsubscribed addresses; " + Paging.Description + ".";
        });
    }

    public override Task<ItemsPage<SubscriberListResponse>> ExecuteAsync(ListListsRequest request, CancellationToken ct) =>
        db.SubscriberLists.AsNoTracking().OrderBy(l => l.Id).ToPageAsync(request, db.WithCounts(), ct);
}
