using System.Diagnostics.Metrics;
using TaskApi.Features.Notifications.Dispatch;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>
/// Notification counters (Meter "Tasks.TaskApi.Notifications"): deliveries created, dispatched and settled, by channel and
/// status; retries; dead-lettered records.
/// </summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "Tasks.TaskApi.Notifications";
    public const string DeliveriesCreatedInstrument = "notification.deliveries.created";
    public const string DeliveriesDispatchedInstrument = "notification.deliveries.dispatched";
    public const string DeliveriesSettledInstrument = "notification.deliveries.settled";

    private readonly Counter<long> _created;
    private readonly Counter<long> _dispatched;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _settled;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>(DeliveriesCreatedInstrument, unit: "{delivery}",
            description: "Deliveries made by notifications being created, by channel and status (pending or skipped).");
        _dispatched = meter.CreateCounter<long>(DeliveriesDispatchedInstrument, unit: "{delivery}",
            description: "Email and SMS deliveries handed to the outbox for the workers, by channel and lane (express or normal).");
        _deferred = meter.CreateCounter<long>("notification.deliveries.deferred", unit: "{delivery}",
            description: "Deliveries due that were made to wait (quiet hours, burst spreading), by channel.");
        _settled = meter.CreateCounter<long>(DeliveriesSettledInstrument, unit: "{delivery}",
            description: "Deliveries that reached a final status after creation, by channel and status (sent, failed, skipped).");
        _retried = meter.CreateCounter<long>("notification.deliveries.retried", unit: "{delivery}",
            description: "Deliveries whose attempt failed transiently and that wait to be tried again, by channel.");
        _deadLettered = meter.CreateCounter<long>("notification.dead_lettered", description: "Records rejected to a dead-letter topic, by topic.");
    }

    public void DeliveriesCreated(IEnumerable<DeliveryCount> counts)
    {
        foreach (var count in counts)
        {
            _created.Add(count.Count, Channel(count.Channel), Status(count.Status));
        }
    }

    public void Dispatched(DispatchOutcome outcome)
    {
        var lane = new KeyValuePair<string, object?>("lane", outcome.Express ? KafkaLane.Express : KafkaLane.Normal);
        foreach (var group in outcome.Decisions.GroupBy(d => (d.Delivery.Channel, d.Action)))
        {
            var (channel, action) = group.Key;
            var count = group.Count();
            switch (action)
            {
                case DispatchAction.Hand:
                    _dispatched.Add(count, Channel(channel), lane);
                    break;
                case DispatchAction.Wait:
                    _deferred.Add(count, Channel(channel));
                    break;
                case DispatchAction.Feed:
                    Settled(channel, DeliveryStatus.Sent, count);
                    break;
                default:
                    Settled(channel, DeliveryStatus.Skipped, count);
                    break;
            }
        }
    }

    public void Settled(DeliveryChannel channel, DeliveryStatus status, int count = 1) => _settled.Add(count, Channel(channel), Status(status));

    public void Retried(DeliveryChannel channel) => _retried.Add(1, Channel(channel));

    public void DeadLettered(string topic) => _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic));

    private static KeyValuePair<string, object?> Channel(DeliveryChannel channel) => new("channel", StatusNames<DeliveryChannel>.Of(channel));

    private static KeyValuePair<string, object?> Status(DeliveryStatus status) => new("status", StatusNames<DeliveryStatus>.Of(status));
}
