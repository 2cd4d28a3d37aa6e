using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists.DeleteSubscriber;

/// <summary><c>DELETE /lists/{id}/subscribers/{subscriberId}</c>: removes a subscriber from a list.</summary>
public sealed class DeleteSubscriberEndpoint(TasksDbContext db) : Endpoint<SubscriberIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}/subscribers/{subscriberId}");
        Group<ListsGroup>();
        Policies(ApiAccess.CampaignsWrite);
        Description(endpoint => endpoint
            .WithName("DeleteSubscriber")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Delete a subscriber from a list";
            summary.Description = "The address leaves the list; a later import adds it again as a new, subscribed subscriber.";
            summary.Responses[StatusCodes.Status204NoContent] = "The subscriber was deleted.";
            summary.Responses[StatusCodes.Status400BadRequest] = "An id is not an integer.";
            summary.Responses[StatusCodes.Status404NotFound] = "No list has this id, or the list has no subscriber with this id.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(SubscriberIdRequest request, CancellationToken ct)
    {
        var deleted = await db.Subscribers.Where(s => s.Id == request.SubscriberId && s.ListId == request.Id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? await db.SubscriberNotFoundAsync(request, ct) : TypedResults.NoContent();
    }
}
