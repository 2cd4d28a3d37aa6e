using Confluent.Kafka;
using Tasks.Shared;

namespace TaskWorker.Tests;

/// <summary>Notification send records and changes as TaskApi produces them, and the outcome reports the worker answers with.</summary>
public static class NotificationRecords
{
    public static NotificationChanged NewNotification(string? html = "<p>Your order has shipped.</p>") =>
        new(SmsRecords.NextId(), EmailRecords.Sender, "Order shipped", "Your order has shipped.", html, Cancelled: false);

    /// <summary>A delivery of <paramref name="notification"/> to an address of its own (a new recipient, or the test phone).</summary>
    public static NotificationSendItem NewItem(NotificationChanged notification, NotificationSendChannel channel, bool express = false) =>
        new(SmsRecords.NextId(), notification.NotificationId, channel,
            channel == NotificationSendChannel.Sms ? SmsRecords.Phone : EmailRecords.NewRecipient().Email, "Anna Petrova",
            Dispatch: 1, express, DateTimeOffset.UtcNow);

    public static string TopicOf(NotificationSendItem item) => item.Express ? KafkaTopics.NotificationsExpress : KafkaTopics.NotificationsSend;

    public static Message<byte[]?, byte[]> Message(NotificationSendItem item, Headers? headers = null) => new()
    {
        Key = MessageKeys.For(item.DeliveryId),
        Value = MessageJson.Serialize(item),
        Headers = headers ?? [],
    };

    public static Message<byte[]?, byte[]> Change(NotificationChanged change) => new()
    {
        Key = MessageKeys.For(change.NotificationId),
        Value = MessageJson.Serialize(change),
    };

    public static NotificationOutcomeReported NotificationReport(this ConsumeResult<byte[]?, byte[]> record) =>
        MessageJson.Deserialize<NotificationOutcomeReported>(record.Message.Value);

    /// <summary>Waits for the <paramref name="count"/>th report of one delivery and returns it.</summary>
    public static async Task<NotificationOutcomeReported> WaitForNotificationReportAsync(
        this TopicReader reports, long deliveryId, int count = 1, TimeSpan? timeout = null) =>
        (await reports.WaitForAsync(record => record.IsFor(deliveryId), count, timeout))[^1].NotificationReport();
}
