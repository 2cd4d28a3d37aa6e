using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists.GetList;

/// <summary><c>GET /lists/{id}</c>: one list with its counts of subscribed and unsubscribed addresses.</summary>
public sealed class GetListEndpoint(TasksDbContext db) : Endpoint<ListIdRequest, Results<Ok<SubscriberListResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}");
        Group<ListsGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint
            .WithName("GetList")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a subscriber list by id";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not an integer.";
            summary.Responses[StatusCodes.Status404NotFound] = "No list has this id.";
        });
    }

    public override async Task<Results<Ok<SubscriberListResponse>, ProblemHttpResult>> ExecuteAsync(ListIdRequest request, CancellationToken ct)
    {
        var list = await db.ListWithCountsAsync(request.Id, ct);
        return list is null ? ListProblems.NotFound(request.Id) : TypedResults.Ok(list);
    }
}
