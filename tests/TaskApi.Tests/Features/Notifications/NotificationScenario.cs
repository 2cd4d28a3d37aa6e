using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Notifications;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Tests.Features.Clients;
using TaskApi.Tests.Features.Users;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Notifications;

/// <summary>Users, notifications, the records they make and the records the Scheduler and the workers send back, for the dispatch tests.</summary>
public sealed class NotificationScenario(TaskApiFactory api) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Lazy<IProducer<byte[]?, byte[]>> _producer = new(() => PipelineKafka.Producer(api.Kafka.BootstrapServers));

    public HttpClient Http { get; } = api.CreateClient();

    /// <summary>A new user with an email address and a phone, in <paramref name="timeZone"/> (UTC) with these quiet hours (none).</summary>
    public async Task<string> UserAsync(string? timeZone = null, object? quietHours = null, string? name = null)
    {
        var userId = UserTesting.NewUserId("dispatch");
        await Http.PutUserAsync(userId, new { email = $"{userId}@example.com", phone = ClientTesting.NewPhone(), name, timezone = timeZone ?? "UTC", quietHours });
        return userId;
    }

    public async Task<long> NotifyAsync(IEnumerable<string> userIds, string[] channels, bool express = false, DateTimeOffset? sendAt = null)
    {
        var body = NotificationTesting.Body(userIds, channels);
        body["express"] = express;
        if (sendAt is { } at)
        {
            body["sendAt"] = at.ToString("O");
        }
        return (await Http.CreateNotificationAsync(body)).Id();
    }

    public Task<List<NotificationDelivery>> DeliveriesAsync(long notificationId) =>
        api.WithDbAsync(db => db.NotificationDeliveries.AsNoTracking().Where(d => d.NotificationId == notificationId).OrderBy(d => d.Id).ToListAsync());

    public Task<NotificationDelivery> DeliveryWhenAsync(long deliveryId, Func<NotificationDelivery, bool> condition, string what) =>
        Eventually.GetAsync(async () => await api.WithDbAsync(db => db.NotificationDeliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId)) is var d && condition(d) ? d : null,
            Timeout, $"delivery {deliveryId} {what}");

    public Task<Notification> NotificationWhenAsync(long notificationId, NotificationStatus status) =>
        Eventually.GetAsync(async () => await api.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == notificationId)) is { } n && n.Status == status ? n : null,
            Timeout, $"notification {notificationId} {status}");

    /// <summary>The outbox records written for <paramref name="key"/> on <paramref name="topic"/>, oldest first.</summary>
    public Task<List<OutboxMessage>> OutboxAsync(string topic, string key)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        return api.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Topic == topic && m.Key == keyBytes).OrderBy(m => m.Id).ToListAsync());
    }

    /// <summary>The Scheduler requests made for a notification's due times (as the Scheduler would read them).</summary>
    public async Task<Dictionary<string, ScheduleRequest>> SchedulerRequestsAsync(long notificationId, IReadOnlyCollection<DateTimeOffset> dueTimes) =>
        await PipelineKafka.ReadLatestAsync<ScheduleRequest>(api.Kafka.BootstrapServers, KafkaTopics.SchedulerRequests,
            dueTimes.Select(at => NotificationRecords.DueScheduleId(notificationId, at)).ToList(), Timeout);

    public Task<Dictionary<string, T>> ReadAsync<T>(string topic, IEnumerable<long> keys) =>
        PipelineKafka.ReadLatestAsync<T>(api.Kafka.BootstrapServers, topic, keys.Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(), Timeout);

    /// <summary>The records keyed <paramref name="key"/> on <paramref name="topic"/> until <paramref name="count"/> have come, in order.</summary>
    public async Task<List<ConsumeResult<byte[]?, byte[]>>> RecordsAsync(string topic, long key, int count)
    {
        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, topic);
        var wanted = MessageKeys.For(key);
        return await consumer.ConsumeMatchingAsync(count, r => r.Message.Key is { } k && k.SequenceEqual(wanted), Timeout);
    }

    /// <summary>Releases a due record as the Scheduler would.</summary>
    public Task DueAsync(long notificationId, DateTimeOffset dueAt) =>
        ProduceAsync(KafkaTopics.NotificationsDue, MessageKeys.For(notificationId), MessageJson.Serialize(new NotificationDue(notificationId, dueAt)));

    /// <summary>Waits until the due consumer has handled every record of the notification produced so far.</summary>
    public Task DueRecordsHandledAsync(long notificationId) =>
        HandledAsync(KafkaTopics.NotificationsDue, KafkaTopics.NotificationsDueDeadLetter, notificationId);

    /// <summary>Waits until the status consumer has handled every report on the delivery produced so far.</summary>
    public Task ReportsHandledAsync(long deliveryId) =>
        HandledAsync(KafkaTopics.NotificationsStatus, KafkaTopics.NotificationsStatusDeadLetter, deliveryId);

    /// <summary>
    /// An unreadable record keyed <paramref name="key"/> follows the records produced so far on their partition, and
    /// reaches the dead letters only once they are handled.
    /// </summary>
    private async Task HandledAsync(string topic, string deadLetterTopic, long key)
    {
        await ProduceAsync(topic, MessageKeys.For(key), "\"unreadable\""u8.ToArray());
        await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, deadLetterTopic, key.ToString(System.Globalization.CultureInfo.InvariantCulture), Timeout);
    }

    /// <summary>Produces a worker's report to notifications.status, as TaskWorker would.</summary>
    public Task ReportAsync(NotificationDelivery delivery, NotificationOutcome outcome, int? dispatch = null, string? error = null,
        DateTimeOffset? occurredAt = null, DateTimeOffset? retryNotBefore = null) =>
        ProduceAsync(KafkaTopics.NotificationsStatus, MessageKeys.For(delivery.Id), MessageJson.Serialize(new NotificationOutcomeReported(
            delivery.Id, delivery.NotificationId, dispatch ?? delivery.Dispatch, outcome, occurredAt ?? DateTimeOffset.UtcNow, error, retryNotBefore)));

    public static JsonObject QuietHours(TimeOnly from, TimeOnly to) => new() { ["from"] = from.ToString("HH:mm"), ["to"] = to.ToString("HH:mm") };

    private Task ProduceAsync(string topic, byte[] key, byte[] value) =>
        _producer.Value.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = key, Value = value });

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Dispose();
        }
        Http.Dispose();
    }
}
