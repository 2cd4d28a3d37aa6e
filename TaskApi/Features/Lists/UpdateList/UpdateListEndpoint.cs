using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists.UpdateList;

/// <summary><c>PATCH /lists/{id}</c>: renames a list.</summary>
public sealed class UpdateListEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<UpdateListRequest, Results<Ok<SubscriberListResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/{id}");
        Group<ListsGroup>();
        Policies(ApiAccess.CampaignsWrite);
        // The body and the route only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<UpdateListRequest>(BindingSource.JsonBody | BindingSource.RouteValues));
        MaxRequestBodySize(SubscriberListRequest.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("UpdateList")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Change a subscriber list";
            summary.Description = "Fields left out stay as they are; a new name sets updatedAt to now.";
            summary.Responses[StatusCodes.Status200OK] = "The list as changed, with its counts.";
            summary.Responses[StatusCodes.Status404NotFound] = "No list has this id.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {SubscriberListRequest.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Ok<SubscriberListResponse>, ProblemHttpResult>> ExecuteAsync(UpdateListRequest request, CancellationToken ct)
    {
        if (request.Name is { } name)
        {
            var now = clock.GetUtcNow().TruncateToMicroseconds();
            await db.SubscriberLists.Where(l => l.Id == request.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(l => l.Name, name).SetProperty(l => l.UpdatedAt, now), ct);
        }
        var list = await db.ListWithCountsAsync(request.Id, ct);
        return list is null ? ListProblems.NotFound(request.Id) : TypedResults.Ok(list);
    }
}
