using System.Text.Json;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>A notification with its content and its deliveries counted by channel and status.</summary>
/// <param name="Id">The notification's id.</param>
/// <param name="Status">scheduled, sending, done or cancelled.</param>
/// <param name="Title">The email's subject and the in-app title.</param>
/// <param name="Text">The SMS, the in-app body and the email's text part.</param>
/// <param name="Html">The email's HTML part; null: text only.</param>
/// <param name="TemplateId">The email template the title and HTML came from.</param>
/// <param name="Data">The caller's JSON object; null when none was given.</param>
/// <param name="Channels">email, sms and/or inApp.</param>
/// <param name="Express">Sent ahead of any backlog, without quiet hours or burst spreading.</param>
/// <param name="SendAt">Not sent before this; null: at once.</param>
/// <param name="Counts">Its deliveries by channel and status.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it: an operator's id or an app's client id.</param>
/// <param name="UpdatedAt">When its status last changed.</param>
public sealed record NotificationResponse(
    long Id, string Status, string Title, string Text, string? Html, long? TemplateId, JsonElement? Data, string[] Channels, bool Express,
    DateTimeOffset? SendAt, DeliveryCounts Counts, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset UpdatedAt)
{
    public static NotificationResponse From(Notification n, IReadOnlyCollection<DeliveryCount> counts) => new(
        n.Id, StatusNames<NotificationStatus>.Of(n.Status), n.Title, n.Text, n.Html, n.TemplateId,
        n.Data is null ? null : JsonDocument.Parse(n.Data).RootElement, n.Channels.Select(NotificationChannels.ApiName).ToArray(), n.Express,
        n.SendAt, DeliveryCounts.Of(n, counts), n.CreatedAt, n.CreatedBy, n.UpdatedAt);
}

/// <summary>A notification in a list: without its content and counts (GET /notifications/{id} has them).</summary>
/// <param name="Id">The notification's id.</param>
/// <param name="Status">scheduled, sending, done or cancelled.</param>
/// <param name="Title">The email's subject and the in-app title.</param>
/// <param name="Channels">email, sms and/or inApp.</param>
/// <param name="Express">Sent ahead of any backlog.</param>
/// <param name="SendAt">Not sent before this; null: at once.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="UpdatedAt">When its status last changed.</param>
public sealed record NotificationSummary(
    long Id, string Status, string Title, string[] Channels, bool Express, DateTimeOffset? SendAt, DateTimeOffset CreatedAt, string? CreatedBy,
    DateTimeOffset UpdatedAt)
{
    public static NotificationSummary From(Notification n) => new(
        n.Id, StatusNames<NotificationStatus>.Of(n.Status), n.Title, n.Channels.Select(NotificationChannels.ApiName).ToArray(), n.Express,
        n.SendAt, n.CreatedAt, n.CreatedBy, n.UpdatedAt);
}

/// <summary>How many deliveries of one channel and status there are.</summary>
public sealed record DeliveryCount(DeliveryChannel Channel, DeliveryStatus Status, int Count);

/// <summary>A notification's deliveries by channel; a channel it does not use is null.</summary>
/// <param name="Email">Its email deliveries.</param>
/// <param name="Sms">Its SMS deliveries.</param>
/// <param name="InApp">Its in-app deliveries.</param>
public sealed record DeliveryCounts(ChannelCounts? Email, ChannelCounts? Sms, ChannelCounts? InApp)
{
    public static DeliveryCounts Of(Notification notification, IReadOnlyCollection<DeliveryCount> counts)
    {
        ChannelCounts? Channel(DeliveryChannel channel) =>
            notification.Channels.Contains(StatusNames<DeliveryChannel>.Of(channel)) ? ChannelCounts.Of(counts.Where(c => c.Channel == channel)) : null;
        return new DeliveryCounts(Channel(DeliveryChannel.Email), Channel(DeliveryChannel.Sms), Channel(DeliveryChannel.InApp));
    }
}

/// <summary>One channel's deliveries by status.</summary>
/// <param name="Pending">Waiting to go out.</param>
/// <param name="Sent">Handed to the provider (in-app: in the feed).</param>
/// <param name="Failed">Given up on.</param>
/// <param name="Skipped">Not sent: opted out, no address or throttled (each delivery says which).</param>
/// <param name="Cancelled">Cancelled with the notification before they went out.</param>
public sealed record ChannelCounts(int Pending, int Sent, int Failed, int Skipped, int Cancelled)
{
    public static ChannelCounts Of(IEnumerable<DeliveryCount> counts)
    {
        var byStatus = counts.ToDictionary(c => c.Status, c => c.Count);
        int Count(DeliveryStatus status) => byStatus.GetValueOrDefault(status);
        return new ChannelCounts(Count(DeliveryStatus.Pending), Count(DeliveryStatus.Sent), Count(DeliveryStatus.Failed),
            Count(DeliveryStatus.Skipped), Count(DeliveryStatus.Cancelled));
    }
}
