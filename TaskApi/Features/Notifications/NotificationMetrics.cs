using System.Diagnostics.Metrics;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>Notification counters (Meter "Tasks.TaskApi.Notifications"): deliveries created, by channel and status.</summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "Tasks.TaskApi.Notifications";
    public const string DeliveriesCreatedInstrument = "notification.deliveries.created";

    private readonly Counter<long> _created;

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>(DeliveriesCreatedInstrument, unit: "{delivery}",
            description: "Deliveries made by notifications being created, by channel and status (pending or skipped).");
    }

    public void DeliveriesCreated(IEnumerable<DeliveryCount> counts)
    {
        foreach (var count in counts)
        {
            _created.Add(count.Count,
                new KeyValuePair<string, object?>("channel", StatusNames<DeliveryChannel>.Of(count.Channel)),
                new KeyValuePair<string, object?>("status", StatusNames<DeliveryStatus>.Of(count.Status)));
        }
    }
}
