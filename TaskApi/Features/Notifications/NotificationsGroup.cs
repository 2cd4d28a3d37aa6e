using FastEndpoints;

namespace TaskApi.Features.Notifications;

/// <summary>The <c>/notifications</c> routes: one endpoint per use case in the folders beside this file.</summary>
public sealed class NotificationsGroup : Group
{
    public NotificationsGroup() => Configure("notifications", endpoint =>
    {
        endpoint.Description(description => description.WithTags("Notifications"));
    });
}
