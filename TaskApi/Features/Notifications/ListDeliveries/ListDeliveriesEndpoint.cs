using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Notifications.ListDeliveries;

/// <summary>The route, filters and page of <c>GET /notifications/{id}/deliveries</c>.</summary>
public sealed class ListDeliveriesRequest : ICursorPagedRequest, IStatusFilteredRequest
{
    /// <summary>The notification's id.</summary>
    public long Id { get; set; }

    /// <summary>Only deliveries on this channel: email, sms or inApp.</summary>
    public string? Channel { get; set; }

    /// <summary>Only deliveries in this status: pending, sent, failed, skipped or cancelled.</summary>
    public string? Status { get; set; }

    public int? Page { get; set; }

    public int? PageSize { get; set; }

    public long? After { get; set; }
}

public sealed class ListDeliveriesValidator : Validator<ListDeliveriesRequest>
{
    public ListDeliveriesValidator()
    {
        Include(new StatusFilterRules<DeliveryStatus>());
        Include(new CursorPagingRules());
        RuleFor(q => q.Channel)
            .Must(channel => NotificationChannels.ByApiName.ContainsKey(channel!)).WithMessage($"'{{PropertyName}}' must be {NotificationChannels.OneOf}.")
            .When(q => q.Channel is not null);
    }
}

/// <summary>A user's delivery of a notification on one channel.</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="UserId">The user's id.</param>
/// <param name="Channel">email, sms or inApp.</param>
/// <param name="Status">pending, sent, failed, skipped or cancelled.</param>
/// <param name="Reason">Why it was skipped: opted_out, no_address or throttled; null unless skipped.</param>
/// <param name="Address">The email address or phone it goes to; null in-app, when skipped, and after the user's erasure.</param>
/// <param name="Attempts">Attempts made to hand it to the provider.</param>
/// <param name="LastError">The last failed attempt's reason.</param>
/// <param name="DueAt">While it waits: when it goes out.</param>
/// <param name="SentAt">When the provider accepted it (in-app: when it reached the feed).</param>
/// <param name="ReadAt">In-app: when the user read it.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record DeliveryResponse(
    long Id, string UserId, string Channel, string Status, string? Reason, string? Address, int Attempts, string? LastError,
    DateTimeOffset? DueAt, DateTimeOffset? SentAt, DateTimeOffset? ReadAt, DateTimeOffset CreatedAt);

/// <summary><c>GET /notifications/{id}/deliveries</c>: a page of a notification's deliveries in id order, optionally of one channel and status.</summary>
public sealed class ListDeliveriesEndpoint(TasksDbContext db)
    : Endpoint<ListDeliveriesRequest, Results<Ok<ItemsPage<DeliveryResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}/deliveries");
        Group<NotificationsGroup>();
        Policies(ApiAccess.NotificationsRead);
        Description(endpoint => endpoint.WithName("ListNotificationDeliveries").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "List a notification's deliveries";
            summary.Description = "One per user and channel, in id order (the users' order in the request, each user's channels together), " +
                "optionally of one channel and status; " + Paging.ByCursorDescription + ".";
            summary.Responses[StatusCodes.Status404NotFound] = "No notification has this id (or it is another app's).";
        });
    }

    public override async Task<Results<Ok<ItemsPage<DeliveryResponse>>, ProblemHttpResult>> ExecuteAsync(ListDeliveriesRequest request, CancellationToken ct)
    {
        if (!await db.Notifications.VisibleTo(User).AnyAsync(n => n.Id == request.Id, ct))
        {
            return NotificationProblems.NotFound(request.Id);
        }
        var deliveries = db.NotificationDeliveries.AsNoTracking().Where(d => d.NotificationId == request.Id);
        if (request.Channel is not null)
        {
            var channel = NotificationChannels.ByApiName[request.Channel];
            deliveries = deliveries.Where(d => d.Channel == channel);
        }
        if (request.Status is not null)
        {
            var status = StatusNames<DeliveryStatus>.Parse(request.Status);
            deliveries = deliveries.Where(d => d.Status == status);
        }
        return TypedResults.Ok(await deliveries.ToIdPageAsync(request, d => d.Id,
            d => new DeliveryResponse(d.Id, d.UserId, NotificationChannels.ApiName(d.Channel), StatusNames<DeliveryStatus>.Of(d.Status),
                d.Reason == null ? null : StatusNames<DeliveryReason>.Of(d.Reason.Value), d.Address, d.Attempts, d.LastError,
                d.DueAt, d.SentAt, d.ReadAt, d.CreatedAt),
            d => d.Id, ct));
    }
}
