using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>The RFC 7807 answers the notification endpoints share.</summary>
public static class NotificationProblems
{
    public static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Notification not found", detail: $"No notification has id {id}.");

    public static ProblemHttpResult Conflict(Notification notification, string action) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Notification cannot change",
            detail: $"Notification {notification.Id} is {StatusNames<NotificationStatus>.Of(notification.Status)}; {action}.");
}

/// <summary>The route of <c>/notifications/{id}</c>.</summary>
public sealed class NotificationIdRequest
{
    /// <summary>The notification's id.</summary>
    public long Id { get; set; }
}
