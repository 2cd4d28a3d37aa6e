using Tasks.Shared;
using TaskWorker.Messaging;

namespace TaskWorker.Notifications;

/// <summary>What became of a lane's deliveries: reported on notifications.status, counted, and logged one line each.</summary>
internal sealed partial class NotificationReports(
    TracedPublisher publisher, NotificationMetrics metrics, TimeProvider time, ILogger<NotificationReports> logger)
{
    /// <summary>Reports the outcome of <paramref name="item"/>'s hand-over (<paramref name="called"/>: the provider had it).</summary>
    public async Task ReportAsync(
        NotificationSendItem item, bool express, NotificationOutcome outcome, bool called, string? error, DateTimeOffset? retryNotBefore,
        CancellationToken cancellationToken)
    {
        var report = new NotificationOutcomeReported(item.DeliveryId, item.NotificationId, item.Dispatch, outcome, time.GetUtcNow(), error, retryNotBefore);
        await publisher.PublishAsync(KafkaTopics.NotificationsStatus, MessageKeys.For(item.DeliveryId), MessageJson.Serialize(report), cancellationToken);
        Settled(item, express, NotificationMetrics.NameOf(outcome), called, error);
    }

    /// <summary>A delivery of a cancelled notification, dropped unreported: TaskApi settled it.</summary>
    public void Dropped(NotificationSendItem item, bool express) => Settled(item, express, NotificationMetrics.CancelledOutcome, called: false, error: null);

    /// <summary>An express delivery the provider answered: the time since it was due.</summary>
    public void ExpressHandedOver(NotificationSendItem item, NotificationOutcome outcome) =>
        metrics.ExpressHandedOver(item.Channel, outcome, time.GetUtcNow() - item.DueAt);

    private void Settled(NotificationSendItem item, bool express, string outcome, bool called, string? error)
    {
        metrics.Handled(item.Channel, outcome, express, called);
        LogOutcome(item.NotificationId, item.DeliveryId, NotificationMetrics.NameOf(item.Channel), express, item.Dispatch, outcome, called, LogText.EscapedIfAny(error));
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information,
        Message = "Notification {NotificationId} delivery {DeliveryId} by {Channel} (express: {Express}) dispatch {Dispatch}: {Outcome} (provider called: {Called}) {Error}")]
    private partial void LogOutcome(long notificationId, long deliveryId, string channel, bool express, int dispatch, string outcome, bool called, string? error);
}
