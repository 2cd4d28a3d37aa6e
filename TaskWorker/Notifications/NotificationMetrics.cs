using System.Diagnostics.Metrics;
using System.Text.Json;
using Tasks.Shared;
using TaskWorker.Work;

namespace TaskWorker.Notifications;

/// <summary>The notification deliveries' instruments, in the worker's meter (<see cref="WorkerMetrics.MeterName"/>).</summary>
public sealed class NotificationMetrics
{
    /// <summary>The outcome of a record whose notification was cancelled: nothing is sent and nothing reported.</summary>
    public const string CancelledOutcome = "cancelled";

    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _expressLatency;

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        // The factory hands out one Meter per name, so these join WorkerMetrics' instruments.
        var meter = meterFactory.Create(WorkerMetrics.MeterName);
        _deliveries = meter.CreateCounter<long>("notification.deliveries.handled", "{delivery}",
            "Notification send records handled, by channel, outcome (sent, failed, retry, cancelled), express, and whether the provider was called.");
        _expressLatency = meter.CreateHistogram<double>("notification.express.latency", "ms",
            "From an express delivery's due time to the provider's answer to its hand-over, by channel and outcome.");
    }

    public void Handled(NotificationSendChannel channel, string outcome, bool express, bool called) =>
        _deliveries.Add(1,
            new KeyValuePair<string, object?>("channel", NameOf(channel)),
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("express", express),
            new KeyValuePair<string, object?>("called", called));

    public void ExpressHandedOver(NotificationSendChannel channel, NotificationOutcome outcome, TimeSpan sinceDue) =>
        _expressLatency.Record(sinceDue.TotalMilliseconds,
            new KeyValuePair<string, object?>("channel", NameOf(channel)),
            new KeyValuePair<string, object?>("outcome", NameOf(outcome)));

    /// <summary>As the wire reads it ("sms", "retry").</summary>
    public static string NameOf<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
