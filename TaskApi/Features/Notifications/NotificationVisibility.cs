using System.Security.Claims;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Notifications;

/// <summary>
/// Which notifications a caller sees: an app only those it created, an operator all (as tasks). A notification hidden
/// from an app answers as one that does not exist.
/// </summary>
public static class NotificationVisibility
{
    public static IQueryable<Notification> VisibleTo(this IQueryable<Notification> notifications, ClaimsPrincipal caller)
    {
        if (!caller.IsApp())
        {
            return notifications;
        }
        var appId = caller.Id();
        return notifications.Where(n => n.CreatedBy == appId);
    }

    public static bool IsVisibleTo(this Notification notification, ClaimsPrincipal caller) =>
        !caller.IsApp() || notification.CreatedBy == caller.Id();
}
