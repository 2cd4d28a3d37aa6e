using System.Text.Json;
using TaskApi.Features.Notifications;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Feed;

/// <summary>
/// A user's feed: their in-app deliveries that reached it (<c>feed_seq</c> set by <see cref="FeedNotices"/>), each with
/// its notification's content, for the list, the counts and the stream alike.
/// </summary>
public static class FeedItems
{
    public static IQueryable<FeedRow> Of(TasksDbContext db, string userId) =>
        from delivery in db.NotificationDeliveries
        where delivery.UserId == userId && delivery.FeedSeq != null
        join notification in db.Notifications on delivery.NotificationId equals notification.Id
        select new FeedRow
        {
            Id = delivery.Id,
            NotificationId = delivery.NotificationId,
            FeedSeq = delivery.FeedSeq!.Value,
            Title = notification.Title,
            Text = notification.Text,
            Data = notification.Data,
            SentAt = delivery.SentAt,
            ReadAt = delivery.ReadAt,
        };

    /// <summary>A user's deliveries in the feed, for the statements that mark them read.</summary>
    public static IQueryable<NotificationDelivery> Deliveries(TasksDbContext db, string userId) =>
        db.NotificationDeliveries.Where(delivery => delivery.UserId == userId && delivery.FeedSeq != null);
}

/// <summary>One item of a user's feed as read from the tables.</summary>
public sealed class FeedRow
{
    public long Id { get; init; }
    public long NotificationId { get; init; }
    public long FeedSeq { get; init; }
    public required string Title { get; init; }
    public required string Text { get; init; }
    public string? Data { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? ReadAt { get; init; }

    public FeedItemResponse Response() =>
        new(Id, NotificationId, Title, Text, Data is null ? null : JsonDocument.Parse(Data).RootElement, SentAt, ReadAt);
}

/// <summary>An in-app notification in the user's feed.</summary>
/// <param name="Id">The delivery's id: what POST /me/notifications/{id}/read takes.</param>
/// <param name="NotificationId">The notification it is a part of.</param>
/// <param name="Title">The notification's title.</param>
/// <param name="Text">The notification's text.</param>
/// <param name="Data">The notification's JSON object of data; null when it has none.</param>
/// <param name="SentAt">When it reached the feed.</param>
/// <param name="ReadAt">When the user read it; null while unread.</param>
public sealed record FeedItemResponse(long Id, long NotificationId, string Title, string Text, JsonElement? Data, DateTimeOffset? SentAt, DateTimeOffset? ReadAt);
