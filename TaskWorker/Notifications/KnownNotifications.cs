using Tasks.Shared;
using TaskWorker.Delivery;

namespace TaskWorker.Notifications;

/// <summary>The latest <see cref="NotificationChanged"/> of every notification in flight, from notifications.changes.</summary>
internal sealed class KnownNotifications(TimeProvider time) : LatestChanges<NotificationChanged>(KafkaTopics.NotificationsChanges, time)
{
    /// <summary>Key of the listener's consumer settings (<c>Aspire:Confluent:Kafka:Consumer:taskworker-notification-changes</c>), also its unjoined group id.</summary>
    public const string ConsumerKey = "taskworker-notification-changes";

    public override long IdOf(NotificationChanged change) => change.NotificationId;
}
