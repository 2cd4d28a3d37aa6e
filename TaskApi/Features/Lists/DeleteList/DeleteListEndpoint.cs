using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists.DeleteList;

/// <summary><c>DELETE /lists/{id}</c>: removes a list and its subscribers, unless a campaign still sends to it.</summary>
public sealed class DeleteListEndpoint(TasksDbContext db) : Endpoint<ListIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<ListsGroup>();
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

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(ListIdRequest request, CancellationToken ct) =>
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async Task<Results<NoContent, ProblemHttpResult>> () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Locked first: a campaign taking the list meanwhile waits for the answer, or is waited for (RowLocks).
            if (!await db.LockForUpdateAsync<SubscriberList>(request.Id, ct))
            {
                return ListProblems.NotFound(request.Id);
            }
            if (await ListUsage.IsInUseAsync(db, request.Id, ct))
            {
                return ListProblems.InUse(request.Id);
            }
            await db.SubscriberLists.Where(l => l.Id == request.Id).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
            return TypedResults.NoContent();
        });
}
