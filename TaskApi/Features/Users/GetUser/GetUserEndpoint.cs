using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Users.GetUser;

/// <summary><c>GET /users/{userId}</c>: one user.</summary>
public sealed class GetUserEndpoint(TasksDbContext db) : Endpoint<UserIdRequest, Results<Ok<UserResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{userId}");
        Group<UsersGroup>();
        Policies(ApiAccess.NotificationsRead);
        Description(endpoint => endpoint
            .WithName("GetUser")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a user by id";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not one a user can have.";
            summary.Responses[StatusCodes.Status404NotFound] = "No user has this id.";
        });
    }

    public override async Task<Results<Ok<UserResponse>, ProblemHttpResult>> ExecuteAsync(UserIdRequest request, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserId == request.UserId, ct);
        return user is null ? UserProblems.NotFound(request.UserId) : TypedResults.Ok(UserResponse.From(user));
    }
}
