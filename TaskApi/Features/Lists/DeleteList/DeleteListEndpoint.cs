using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists.DeleteList;

/// <summary><c>DELETE /lists/{id}</c>: removes a list and its subscribers, unless a campaign still sends to it.</summary>
public sealed class DeleteListEndpoint(TasksDbContext db) : Endpoint<ListIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<ListsGroup>();
        Policies(ApiAccess.CampaignsWrite);
        Description(endpoint => endpoint
            .WithName("DeleteList")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict));
        Summary(summary =>
        {
            summary.Summary = "Delete a subscriber list";
            summary.Description = "Its subscribers are deleted with it. A list that a scheduled or sending campaign sends to cannot be deleted.";
            summary.Responses[StatusCodes.Status204NoContent] = "The list and its subscribers were deleted.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not an integer.";
            summary.Responses[StatusCodes.Status404NotFound] = "No list has this id.";
            summary.Responses[StatusCodes.Status409Conflict] = "A scheduled or sending campaign sends to the list.";
        });
    }

    // Locked first: a campaign taking it meanwhile waits for the answer, or is waited for (RowLocks).
    public override Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(ListIdRequest request, CancellationToken ct) =>
        db.DeleteUnlessInUseAsync<SubscriberList>(request.Id, () => ListUsage.IsInUseAsync(db, request.Id, ct),
            ListProblems.NotFound(request.Id), ListProblems.InUse(request.Id), ct);
}
