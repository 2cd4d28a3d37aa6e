using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Feed.MarkRead;

/// <summary>The route of <c>POST /me/notifications/{id}/read</c>.</summary>
public sealed class MarkReadRequest
{
    /// <summary>The id of the notification in the feed (an item's id).</summary>
    public long Id { get; set; }
}

/// <summary>A notification of the feed marked read.</summary>
/// <param name="Id">Its id in the feed.</param>
/// <param name="ReadAt">When it was first marked read.</param>
public sealed record MarkReadResponse(long Id, DateTimeOffset ReadAt);

/// <summary><c>POST /me/notifications/{id}/read</c>: marks one of the user's notifications read; again, nothing changes.</summary>
public sealed class MarkReadEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<MarkReadRequest, Results<Ok<MarkReadResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/{id}/read");
        Group<FeedGroup>();
        Policies(UserTokens.Policy);
        Description(endpoint => endpoint.WithName("MarkMyNotificationRead").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Mark one of my in-app notifications read";
            summary.Description = "Idempotent: marking it again keeps the first time it was read.";
            summary.Responses[StatusCodes.Status404NotFound] = "The user's feed has no notification with this id (another user's is not found either).";
        });
    }

    public override async Task<Results<Ok<MarkReadResponse>, ProblemHttpResult>> ExecuteAsync(MarkReadRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var delivery = FeedItems.Deliveries(db, User.Id()).Where(d => d.Id == request.Id);
        await delivery.Where(d => d.ReadAt == null).ExecuteUpdateAsync(set => set.SetProperty(d => d.ReadAt, (DateTimeOffset?)now), ct);
        var readAt = await delivery.Select(d => d.ReadAt).SingleOrDefaultAsync(ct);
        return readAt is { } first
            ? TypedResults.Ok(new MarkReadResponse(request.Id, first))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Notification not found",
                detail: $"Your feed has no notification with id {request.Id}.");
    }
}
