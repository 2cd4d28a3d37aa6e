using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.Notifications.CancelNotification;

/// <summary>
/// <c>DELETE /notifications/{id}</c>: cancels a scheduled or sending notification: its pending deliveries become
/// cancelled and it becomes cancelled, in one transaction under the notification's row lock; the workers are told
/// (a <c>NotificationChanged</c> with Cancelled, so they send nothing more of it) and then forget it
/// (a tombstone). Its due records still at the Scheduler find it cancelled and dispatch nothing.
/// </summary>
public sealed partial class CancelNotificationEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<CancelNotificationEndpoint> logger) : Endpoint<NotificationIdRequest, Results<Ok<NotificationResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<NotificationsGroup>();
        Policies(ApiAccess.NotificationsWrite);
        Description(endpoint => endpoint.WithName("CancelNotification")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict));
        Summary(summary =>
        {
            summary.Summary = "Cancel a notification";
            summary.Description = "Its pending deliveries become 'cancelled' (those sent, failed or skipped stay) and it becomes 'cancelled'. " +
                "Cancelling a cancelled notification again changes nothing. An app cancels only the notifications it created.";
            summary.Responses[StatusCodes.Status200OK] = "The notification, cancelled, with its deliveries counted.";
            summary.Responses[StatusCodes.Status404NotFound] = "No notification has this id (or it is another app's).";
            summary.Responses[StatusCodes.Status409Conflict] = "The notification is done: every delivery is final.";
        });
    }

    public override async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> ExecuteAsync(NotificationIdRequest request, CancellationToken ct)
    {
        var (notification, cancelled) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var notification = await db.Notifications.FromSql($"SELECT * FROM notifications WHERE id = {request.Id} FOR UPDATE").VisibleTo(User).SingleOrDefaultAsync(ct);
            if (notification is not { Status: NotificationStatus.Scheduled or NotificationStatus.Sending })
            {
                return (notification, -1);
            }
            var cancelled = await NotificationDeliveries.CancelPendingAsync(db, notification.Id, ct);
            var now = clock.GetUtcNow().TruncateToMicroseconds();
            notification.Status = NotificationStatus.Cancelled;
            notification.UpdatedAt = now;
            var traceParent = System.Diagnostics.Activity.Current?.Id;
            db.OutboxMessages.Add(NotificationRecords.Changed(notification, options.Value, cancelled: true, traceParent, now));
            db.OutboxMessages.Add(NotificationRecords.Tombstone(notification, traceParent, now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (notification, cancelled);
        });

        if (notification is null)
        {
            return NotificationProblems.NotFound(request.Id);
        }
        if (notification.Status == NotificationStatus.Done)
        {
            return NotificationProblems.Conflict(notification, "a done notification cannot be cancelled");
        }
        if (cancelled >= 0)
        {
            outbox.Notify();
            LogCancelled(logger, notification.Id, cancelled);
        }
        return TypedResults.Ok(NotificationResponse.From(notification, await NotificationDeliveries.CountAsync(db, notification.Id, ct)));
    }

    [LoggerMessage(LogLevel.Information, "Notification {NotificationId} cancelled; {Cancelled} pending deliveries cancelled")]
    private static partial void LogCancelled(ILogger logger, long notificationId, int cancelled);
}
