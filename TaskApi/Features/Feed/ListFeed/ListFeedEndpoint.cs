using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Feed.ListFeed;

/// <summary>Filter and page of <c>GET /me/notifications</c>, from the query string.</summary>
public sealed class ListFeedRequest : IPagedRequest
{
    /// <summary>true: only unread notifications; false: only read ones; absent: all.</summary>
    public bool? Unread { get; set; }

    public int? Page { get; set; }

    public int? PageSize { get; set; }
}

public sealed class ListFeedValidator : Validator<ListFeedRequest>
{
    public ListFeedValidator() => Include(new PagingRules());
}

/// <summary><c>GET /me/notifications</c>: a page of the calling user's in-app notifications, newest first.</summary>
public sealed class ListFeedEndpoint(TasksDbContext db) : Endpoint<ListFeedRequest, ItemsPage<FeedItemResponse>>
{
    public override void Configure()
    {
        Get("/");
        Group<FeedGroup>();
        Policies(UserTokens.Policy);
        Description(endpoint => endpoint.WithName("ListMyNotifications").ProducesValidationProblem());
        Summary(summary =>
        {
            summary.Summary = "List my in-app notifications, newest first";
            summary.Description = "The notifications that reached the user's feed (a user's token), in the order they reached it, " +
                "newest first, optionally only unread (unread=true) or read (unread=false); " + Paging.Description + ".";
        });
    }

    public override async Task<ItemsPage<FeedItemResponse>> ExecuteAsync(ListFeedRequest request, CancellationToken ct)
    {
        var items = FeedItems.Of(db, User.Id()).AsNoTracking();
        if (request.Unread is { } unread)
        {
            items = unread ? items.Where(item => item.ReadAt == null) : items.Where(item => item.ReadAt != null);
        }
        var total = await items.CountUpToCapAsync(ct);
        var rows = await items.OrderByDescending(item => item.FeedSeq).PageOf(request).ToListAsync(ct);
        return new ItemsPage<FeedItemResponse>(rows.Select(row => row.Response()).ToList(),
            request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped);
    }
}
