using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists.ListSubscribers;

/// <summary>The route, filter and page of <c>GET /lists/{id}/subscribers</c>.</summary>
public sealed class ListSubscribersRequest : ICursorPagedRequest, IStatusFilteredRequest
{
    /// <summary>The list's id (an integer).</summary>
    public long Id { get; set; }

    /// <summary>Only subscribers in this status: subscribed or unsubscribed.</summary>
    public string? Status { get; set; }

    public int? Page { get; set; }

    public int? PageSize { get; set; }

    public long? After { get; set; }
}

public sealed class ListSubscribersValidator : Validator<ListSubscribersRequest>
{
    public ListSubscribersValidator()
    {
        Include(new StatusFilterRules<SubscriberStatus>());
        Include(new CursorPagingRules());
    }
}

/// <summary><c>GET /lists/{id}/subscribers</c>: a page of a list's subscribers in id order, optionally of one status.</summary>
public sealed class ListSubscribersEndpoint(TasksDbContext db) : Endpoint<ListSubscribersRequest, Results<Ok<ItemsPage<SubscriberResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}/subscribers");
        Group<ListsGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint.WithName("ListSubscribers").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "List a list's subscribers";
            summary.Description = "In id order, which is the order they were added (an import adds its new addresses in address order), " +
                "optionally of one status; " + Paging.ByCursorDescription + ".";
            summary.Responses[StatusCodes.Status404NotFound] = "No list has this id.";
        });
    }

    public override async Task<Results<Ok<ItemsPage<SubscriberResponse>>, ProblemHttpResult>> ExecuteAsync(ListSubscribersRequest request, CancellationToken ct)
    {
        if (!await db.ListExistsAsync(request.Id, ct))
        {
            return ListProblems.NotFound(request.Id);
        }
        var subscribers = db.Subscribers.AsNoTracking().Where(s => s.ListId == request.Id);
        if (request.Status is not null)
        {
            var status = StatusNames<SubscriberStatus>.Parse(request.Status);
            subscribers = subscribers.Where(s => s.Status == status);
        }
        return TypedResults.Ok(await subscribers.ToIdPageAsync(request, s => s.Id, s => SubscriberResponse.From(s), s => s.Id, ct));
    }
}
