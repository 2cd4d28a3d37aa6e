using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Notifications.GetNotification;

/// <summary><c>GET /notifications/{id}</c>: one notification with its deliveries counted by channel and status.</summary>
public sealed class GetNotificationEndpoint(TasksDbContext db) : Endpoint<NotificationIdRequest, Results<Ok<NotificationResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}");
        Group<NotificationsGroup>();
        Policies(ApiAccess.NotificationsRead);
        Description(endpoint => endpoint.WithName("GetNotification").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a notification by id";
            summary.Description = "With its deliveries counted by channel and status. An app sees only the notifications it created.";
            summary.Responses[StatusCodes.Status404NotFound] = "No notification has this id (or it is another app's).";
        });
    }

    public override async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> ExecuteAsync(NotificationIdRequest request, CancellationToken ct)
    {
        var notification = await db.Notifications.AsNoTracking().VisibleTo(User).FirstOrDefaultAsync(n => n.Id == request.Id, ct);
        if (notification is null)
        {
            return NotificationProblems.NotFound(request.Id);
        }
        return TypedResults.Ok(NotificationResponse.From(notification, await NotificationDeliveries.CountAsync(db, notification.Id, ct)));
    }
}
