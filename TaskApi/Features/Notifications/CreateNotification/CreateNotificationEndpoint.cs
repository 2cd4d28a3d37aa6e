using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Notifications.Dispatch;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.Notifications.CreateNotification;

/// <summary>
/// <c>POST /notifications</c>: stores a notification and one delivery per user and channel, in one transaction
/// (<see cref="NotificationCreation"/>), each pending or skipped with its reason, and dispatches it in the same transaction.
/// </summary>
public sealed partial class CreateNotificationEndpoint(
    TasksDbContext db,
    NotificationDispatch dispatch,
    OutboxSignal outbox,
    NotificationMetrics metrics,
    TimeProvider clock,
    ILogger<CreateNotificationEndpoint> logger)
    : Endpoint<CreateNotificationRequest, Results<Created<NotificationResponse>, Ok<NotificationResponse>>>
{
    public override void Configure()
    {
        Post("/");
        Group<NotificationsGroup>();
        Policies(ApiAccess.NotificationsWrite);
        // The body and the header only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<CreateNotificationRequest>(BindingSource.JsonBody | BindingSource.Headers));
        MaxRequestBodySize(CreateNotificationValidator.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("CreateNotification")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Create a notification";
            summary.Description = "Stores a notification and one delivery per user and channel: pending, or skipped with its reason " +
                "(opted_out: the user's preference for the channel is off; no_address: no such user, or no email or phone for the channel). " +
                "It is dispatched in the same transaction: email and SMS deliveries due now are queued for sending (express ones ahead of any " +
                "backlog), in-app ones are 'sent' into the users' feeds at once. The notification is 'scheduled' while sendAt is ahead, else " +
                "'sending'; 'done' once no delivery is pending (at once when every delivery is skipped or in-app). With an " +
                "Idempotency-Key header, a repeated request answers the notification the first one created (200); keys are each caller's own.";
            summary.Responses[StatusCodes.Status201Created] = "The notification was created; Location is its address.";
            summary.Responses[StatusCodes.Status200OK] = "This caller's notification with this Idempotency-Key existed already: that notification, unchanged.";
            summary.Responses[StatusCodes.Status400BadRequest] = "A field is invalid, or the template does not exist.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {CreateNotificationValidator.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Created<NotificationResponse>, Ok<NotificationResponse>>> ExecuteAsync(CreateNotificationRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var userIds = request.UserIds!.Select(id => id!).ToArray();
        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var content = await NotificationContent.OfAsync(db, request, ct);
            if (content is null)
            {
                ThrowError(new ValidationFailure("templateId", NotificationContent.UnknownTemplate(request.TemplateId!.Value)));
            }
            var outcome = await NotificationCreation.CreateAsync(db, dispatch, request.ToNotification(now, User.Id(), content), userIds, ct);
            await transaction.CommitAsync(ct);
            return outcome;
        });

        var response = NotificationResponse.From(outcome.Notification, outcome.Counts);
        if (!outcome.IsNew)
        {
            return TypedResults.Ok(response);
        }
        metrics.DeliveriesCreated(outcome.Created);
        LogCreated(logger, outcome.Notification.Id, userIds.Length, outcome.Created.Sum(c => c.Count),
            outcome.Created.Where(c => c.Status == DeliveryStatus.Skipped).Sum(c => c.Count), response.Status);
        if (outcome.Dispatch is { } dispatched)
        {
            outbox.Notify();
            metrics.Dispatched(dispatched);
            DispatchLog.Dispatched(logger, dispatched);
        }
        return TypedResults.Created($"/notifications/{outcome.Notification.Id}", response);
    }

    [LoggerMessage(LogLevel.Information,
        "Notification {NotificationId} created for {Users} users: {Deliveries} deliveries, {Skipped} skipped; status {Status}")]
    private static partial void LogCreated(ILogger logger, long notificationId, int users, int deliveries, int skipped, string status);
}
