using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Users.PutUser;

/// <summary><c>PUT /users/{userId}</c>: creates the user with this id, or replaces all its fields; omitted ones take their defaults.</summary>
public sealed class PutUserEndpoint(TasksDbContext db, TimeProvider clock) : Endpoint<PutUserRequest, Results<Created<UserResponse>, Ok<UserResponse>>>
{
    public override void Configure()
    {
        Put("/{userId}");
        Group<UsersGroup>();
        Policies(ApiAccess.NotificationsWrite);
        // The body and the route only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<PutUserRequest>(BindingSource.JsonBody | BindingSource.RouteValues));
        MaxRequestBodySize(UserRequest.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("PutUser")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Create or replace a user";
            summary.Description = "Upserts the user with this id (the integrating product's own): every field is replaced by the body's, " +
                "an omitted one taking its default (no email, phone or name; timezone UTC; every channel accepted; no quiet hours). " +
                "A replaced user keeps createdAt and createdBy; updatedAt is set to now.";
            summary.Responses[StatusCodes.Status200OK] = "The user existed and was replaced.";
            summary.Responses[StatusCodes.Status201Created] = "The user was created; Location is its address.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {UserRequest.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Created<UserResponse>, Ok<UserResponse>>> ExecuteAsync(PutUserRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var caller = User.Id();
        // The upsert locks the row until the commit, so the read shows exactly what it wrote, whatever runs concurrently.
        var (created, user) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var (created, _) = await UserUpsert.UpsertAsync(db, [request.ToUser(request.UserId, now, caller)], caller, now, ct);
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserId == request.UserId, ct);
            await transaction.CommitAsync(ct);
            return (created, UserResponse.From(user));
        });
        return created == 1 ? TypedResults.Created($"/users/{Uri.EscapeDataString(user.UserId)}", user) : TypedResults.Ok(user);
    }
}
