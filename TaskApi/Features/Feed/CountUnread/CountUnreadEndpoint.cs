using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Feed.CountUnread;

/// <summary>How many of the user's notifications are unread.</summary>
/// <param name="Unread">Unread notifications, counted up to 10,000.</param>
/// <param name="Capped">More than 10,000 are unread: Unread is then 10,000, a lower bound.</param>
public sealed record UnreadCountResponse(long Unread, bool Capped);

/// <summary><c>GET /me/notifications/unread-count</c>: the badge's number.</summary>
public sealed class CountUnreadEndpoint(TasksDbContext db) : EndpointWithoutRequest<UnreadCountResponse>
{
    public override void Configure()
    {
        Get("/unread-count");
        Group<FeedGroup>();
        Policies(UserTokens.Policy);
        Description(endpoint => endpoint.WithName("CountMyUnreadNotifications"));
        Summary(summary =>
        {
            summary.Summary = "Count my unread in-app notifications";
            summary.Description = "Counted up to 10,000 (capped: more are unread).";
        });
    }

    public override async Task<UnreadCountResponse> ExecuteAsync(CancellationToken ct)
    {
        var unread = await FeedItems.Deliveries(db, User.Id()).Where(delivery => delivery.ReadAt == null).CountUpToCapAsync(ct);
        return new UnreadCountResponse(unread.Total, unread.Capped);
    }
}
