using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Notifications;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Users.DeleteUser;

/// <summary>
/// <c>DELETE /users/{userId}</c>: erasure. The user's row goes, and with it every piece of contact data the service
/// holds about them (email, phone, name, time zone, preferences, quiet hours), and the addresses their notifications'
/// deliveries were sent to, in the same transaction; the deliveries stay, naming the user by id only.
/// </summary>
public sealed class DeleteUserEndpoint(TasksDbContext db) : Endpoint<UserIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{userId}");
        Group<UsersGroup>();
        Policies(ApiAccess.NotificationsWrite);
        Description(endpoint => endpoint
            .WithName("DeleteUser")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Erase a user";
            summary.Description = "Deletes the user and their contact data; notifications' delivery history keeps only the user's id.";
            summary.Responses[StatusCodes.Status204NoContent] = "The user was erased.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not one a user can have.";
            summary.Responses[StatusCodes.Status404NotFound] = "No user has this id.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(UserIdRequest request, CancellationToken ct)
    {
        var deleted = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The addresses their deliveries were sent to are contact data too; the deliveries stay, by user id only.
            await NotificationDeliveries.EraseAddressesAsync(db, request.UserId, ct);
            var deleted = await db.Users.Where(u => u.UserId == request.UserId).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
            return deleted;
        });
        return deleted == 0 ? UserProblems.NotFound(request.UserId) : TypedResults.NoContent();
    }
}
