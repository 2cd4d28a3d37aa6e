using System.Text;
using System.Text.Json;
using TaskApi.Features.Notifications;
using TaskApi.Features.Notifications.CreateNotification;
using Tasks.Shared;

namespace TaskApi.Features.Schedules;

/// <summary>
/// The notification each occurrence of a schedule creates: as <c>POST /notifications</c> takes it, less the send time
/// (the schedule's). A template's subject and HTML were copied into <see cref="Title"/> and <see cref="Html"/> when the
/// schedule was created, as a notification copies them when it is created, so later edits or a deletion of the
/// template do not change what the occurrences send.
/// </summary>
/// <param name="UserIds">The users to notify.</param>
/// <param name="Channels">Its channels: email, sms, inApp.</param>
/// <param name="Title">The title (the template's subject, when from a template).</param>
/// <param name="Text">The SMS, in-app body and email text.</param>
/// <param name="Html">The email's HTML part (the template's, when from a template).</param>
/// <param name="TemplateId">The template the title and HTML were copied from.</param>
/// <param name="Data">The caller's JSON object.</param>
/// <param name="Express">Express: ahead of any backlog, without quiet hours or burst spreading.</param>
public sealed record ScheduledNotification(
    string[] UserIds, string[] Channels, string Title, string Text, string? Html, long? TemplateId, JsonElement? Data, bool Express)
{
    public static ScheduledNotification From(CreateNotificationRequest notification, NotificationContent content) =>
        new(notification.UserIds!.Select(id => id!).ToArray(), notification.Channels!.Select(channel => channel!).ToArray(),
            content.Title, notification.Text!, content.Html, notification.TemplateId, notification.Data, notification.Express ?? false);

    /// <summary>The schedule's stored target.</summary>
    public static ScheduledNotification Read(string target) => MessageJson.Deserialize<ScheduledNotification>(Encoding.UTF8.GetBytes(target));

    public string ToJson() => Encoding.UTF8.GetString(MessageJson.Serialize(this));

    /// <summary>The notification of one occurrence: <paramref name="createdBy"/>'s, under <paramref name="idempotencyKey"/>.</summary>
    public Notification ToNotification(string idempotencyKey, string createdBy, DateTimeOffset now) =>
        new CreateNotificationRequest
        {
            UserIds = UserIds, Channels = Channels, Text = Text, TemplateId = TemplateId, Data = Data, Express = Express, IdempotencyKey = idempotencyKey,
        }.ToNotification(now, createdBy, new NotificationContent(Title, Html));
}
