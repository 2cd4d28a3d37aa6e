using System.Linq.Expressions;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Users.ListUsers;

/// <summary><c>GET /users</c>: a page of users in id order.</summary>
public sealed class ListUsersEndpoint(TasksDbContext db) : Endpoint<ListUsersRequest, UserPage>
{
    public override void Configure()
    {
        Get("/");
        Group<UsersGroup>();
        Policies(ApiAccess.NotificationsRead);
        Description(endpoint => endpoint.WithName("ListUsers"));
        Summary(summary =>
        {
            summary.Summary = "List users in id order";
            summary.Description = "Ordered by userId, code point by code point (\"B\" before \"a\"); " + Paging.ByCursorDescription + ".";
        });
    }

    public override async Task<UserPage> ExecuteAsync(ListUsersRequest request, CancellationToken ct)
    {
        // string.Compare(...) > 0 is SQL's user_id > @after, in the column's byte order, as the ORDER BY is.
        Expression<Func<User, bool>>? afterCursor = request.After is { } after ? u => string.Compare(u.UserId, after) > 0 : null;
        var (items, total) = await db.Users.AsNoTracking().ToKeyPageAsync(request, afterCursor, u => u.UserId, u => UserResponse.From(u), ct);
        var nextAfter = items.Count == request.PageSizeOrDefault() ? items[^1].UserId : null;
        return new UserPage(items, request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped, nextAfter);
    }
}
