using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Notifications.ListNotifications;

/// <summary>Filter and page of <c>GET /notifications</c>, from the query string.</summary>
public sealed class ListNotificationsRequest : IPagedRequest, IStatusFilteredRequest
{
    /// <summary>Only notifications in this status: scheduled, sending, done or cancelled.</summary>
    public string? Status { get; set; }

    public int? Page { get; set; }

    public int? PageSize { get; set; }
}

public sealed class ListNotificationsValidator : Validator<ListNotificationsRequest>
{
    public ListNotificationsValidator()
    {
        Include(new StatusFilterRules<NotificationStatus>());
        Include(new PagingRules());
    }
}

/// <summary><c>GET /notifications</c>: a page of notifications, newest first, optionally of one status; an app's own only.</summary>
public sealed class ListNotificationsEndpoint(TasksDbContext db) : Endpoint<ListNotificationsRequest, ItemsPage<NotificationSummary>>
{
    public override void Configure()
    {
        Get("/");
        Group<NotificationsGroup>();
        Policies(ApiAccess.NotificationsRead);
        Description(endpoint => endpoint.WithName("ListNotifications"));
        Summary(summary =>
        {
            summary.Summary = "List notifications, newest first";
            summary.Description = "Optionally filtered by status; an app lists only the notifications it created; " + Paging.Description + ".";
        });
    }

    public override async Task<ItemsPage<NotificationSummary>> ExecuteAsync(ListNotificationsRequest request, CancellationToken ct)
    {
        var notifications = db.Notifications.AsNoTracking().VisibleTo(User);
        if (request.Status is not null)
        {
            var status = StatusNames<NotificationStatus>.Parse(request.Status);
            notifications = notifications.Where(n => n.Status == status);
        }
        var total = await notifications.CountUpToCapAsync(ct);
        var items = await notifications.OrderByDescending(n => n.Id).PageOf(request).ToListAsync(ct);
        return new ItemsPage<NotificationSummary>(items.Select(NotificationSummary.From).ToList(),
            request.PageOrFirst(), request.PageSizeOrDefault(), total.Total, total.Capped);
    }
}
