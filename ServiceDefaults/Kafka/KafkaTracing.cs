using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// W3C trace context through Kafka headers (<c>traceparent</c>, <c>tracestate</c>), so one trace follows a
/// task across services, and producer/consumer spans in the OpenTelemetry messaging conventions.
/// </summary>
public static class KafkaTracing
{
    public static readonly ActivitySource Source = new(Extensions.TelemetryPrefix + "Kafka");

    private const string TraceParentHeader = "traceparent";

    /// <summary>Starts a producer span for <paramref name="topic"/> and writes its context into <paramref name="headers"/>.</summary>
    public static Activity? StartPublish(string topic, Headers headers, ActivityContext parent = default)
    {
        var activity = parent == default
            ? Source.StartActivity($"{topic} publish", ActivityKind.Producer)
            : Source.StartActivity($"{topic} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", topic);
        if (activity is null && parent != default)
        {
            // Not sampled (or nobody listens): no span, but the trace still continues downstream.
            headers.Remove(TraceParentHeader);
            headers.Add(TraceParentHeader, Encoding.UTF8.GetBytes(
                $"00-{parent.TraceId}-{parent.SpanId}-{(parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}"));
        }
        else
        {
            Inject(activity ?? Activity.Current, headers);
        }
        return activity;
    }

    /// <summary>Starts a consumer span whose parent is the trace context the message carries.</summary>
    public static Activity? StartProcess<TKey, TValue>(ConsumeResult<TKey, TValue> result)
    {
        var activity = Source.StartActivity($"{result.Topic} process", ActivityKind.Consumer, Extract(result.Message.Headers));
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", result.Topic);
        activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString());
        activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        return activity;
    }

    public static void Inject(Activity? activity, Headers headers)
    {
        if (activity is null)
        {
            return;
        }
        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, name, value) =>
        {
            var target = (Headers)carrier!;
            target.Remove(name);
            target.Add(name, Encoding.UTF8.GetBytes(value));
        });
    }

    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null)
        {
            return default;
        }
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers,
            static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
            {
                values = null;
                value = ((Headers)carrier!).TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
            },
            out var traceParent, out var traceState);
        return ParseTraceParent(traceParent, traceState);
    }

    /// <summary>The context of a stored <c>traceparent</c> (e.g. an outbox row's), or default when absent or malformed.</summary>
    public static ActivityContext ParseTraceParent(string? traceParent, string? traceState = null) =>
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
}
