using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Feed.MarkAllRead;

/// <summary>What read-all did.</summary>
/// <param name="Read">How many notifications were unread and are now read.</param>
public sealed record MarkAllReadResponse(int Read);

/// <summary><c>POST /me/notifications/read-all</c>: marks every unread notification of the user read, in one statement.</summary>
public sealed class MarkAllReadEndpoint(TasksDbContext db, TimeProvider clock) : EndpointWithoutRequest<MarkAllReadResponse>
{
    public override void Configure()
    {
        Post("/read-all");
        Group<FeedGroup>();
        Policies(UserTokens.Policy);
        Description(endpoint => endpoint.WithName("MarkAllMyNotificationsRead"));
        Summary(summary =>
        {
            summary.Summary = "Mark all my in-app notifications read";
            summary.Description = "Answers how many were unread; those already read keep the time they were read.";
        });
    }

    public override async Task<MarkAllReadResponse> ExecuteAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var read = await FeedItems.Deliveries(db, User.Id()).Where(delivery => delivery.ReadAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(delivery => delivery.ReadAt, (DateTimeOffset?)now), ct);
        return new MarkAllReadResponse(read);
    }
}
