using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists.GetSubscriber;

/// <summary><c>GET /lists/{id}/subscribers/{subscriberId}</c>: one subscriber of a list.</summary>
public sealed class GetSubscriberEndpoint(TasksDbContext db) : Endpoint<SubscriberIdRequest, Results<Ok<SubscriberResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}/subscribers/{subscriberId}");
        Group<ListsGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint
            .WithName("GetSubscriber")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a subscriber of a list";
            summary.Responses[StatusCodes.Status400BadRequest] = "An id is not an integer.";
            summary.Responses[StatusCodes.Status404NotFound] = "No list has this id, or the list has no subscriber with this id.";
        });
    }

    public override async Task<Results<Ok<SubscriberResponse>, ProblemHttpResult>> ExecuteAsync(SubscriberIdRequest request, CancellationToken ct)
    {
        var subscriber = await db.Subscribers.AsNoTracking().FirstOrDefaultAsync(s => s.Id == request.SubscriberId && s.ListId == request.Id, ct);
        return subscriber is null ? await db.SubscriberNotFoundAsync(request, ct) : TypedResults.Ok(SubscriberResponse.From(subscriber));
    }
}
