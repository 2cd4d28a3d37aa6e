using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Notifications;

/// <summary>
/// The outbox records that move a notification: its content and cancellation for the workers, its tombstone, each
/// delivery's send record, and its due times through the Scheduler. An express notification's records are all express,
/// so its content reaches the workers ahead of the backlog too, and before its send records (one lane keeps id order).
/// </summary>
public static class NotificationRecords
{
    /// <summary>One Scheduler request per notification and due time: the same time requested twice is stored once.</summary>
    public static string DueScheduleId(long notificationId, DateTimeOffset dueAt) => $"notification-{notificationId}-due-{dueAt.ToUnixTimeMilliseconds()}";

    public static OutboxMessage Changed(Notification notification, NotificationOptions options, bool cancelled, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.Publish(KafkaTopics.NotificationsChanges, MessageKeys.For(notification.Id),
            MessageJson.Serialize(new NotificationChanged(notification.Id, new EmailPerson(options.From, options.FromName), notification.Title,
                notification.Text, notification.Html, cancelled)), traceParent, now, notification.Express);

    /// <summary>The workers forget the notification (done or cancelled): a null value on its key of the compacted topic.</summary>
    public static OutboxMessage Tombstone(Notification notification, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.Publish(KafkaTopics.NotificationsChanges, MessageKeys.For(notification.Id), value: null, traceParent, now, notification.Express);

    /// <summary>A send record, on the express topic for an express notification.</summary>
    public static OutboxMessage Send(NotificationSendItem item, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.Publish(item.Express ? KafkaTopics.NotificationsExpress : KafkaTopics.NotificationsSend,
            MessageKeys.For(item.DeliveryId), MessageJson.Serialize(item), traceParent, now, item.Express);

    /// <summary>Asks the Scheduler to release a <see cref="NotificationDue"/> at <paramref name="dueAt"/>.</summary>
    public static OutboxMessage Due(Notification notification, DateTimeOffset dueAt, string? traceParent, DateTimeOffset now) =>
        OutboxRecords.DeliverAt(KafkaTopics.NotificationsDue, MessageKeys.For(notification.Id), MessageJson.Serialize(new NotificationDue(notification.Id, dueAt)),
            dueAt, DueScheduleId(notification.Id, dueAt), traceParent, now, notification.Express);
}
