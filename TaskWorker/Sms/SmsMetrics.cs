using System.Diagnostics.Metrics;
using System.Text.Json;
using Tasks.Shared;

namespace TaskWorker.Sms;

/// <summary>The SMS sending's meter; named with the telemetry prefix so ServiceDefaults collects it.</summary>
public sealed class SmsMetrics
{
    public const string MeterName = Microsoft.Extensions.Hosting.Extensions.TelemetryPrefix + "TaskWorker.Sms";

    /// <summary>The outcome of a send record whose mailing was cancelled: nothing is called and nothing reported.</summary>
    public const string CancelledOutcome = "cancelled";

    private readonly Histogram<double> _gatewayDuration;
    private readonly Counter<long> _outcomes;

    public SmsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _gatewayDuration = meter.CreateHistogram<double>("sms.gateway.duration", "ms", "How long the sending API took to answer one attempt, by outcome.");
        _outcomes = meter.CreateCounter<long>("sms.outcomes", "{message}",
            "Send records handled, by outcome (sent, failed, retry, expired, outside_window, cancelled) and whether the API was called.");
    }

    public void GatewayAnswered(SmsOutcome outcome, TimeSpan duration) =>
        _gatewayDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", NameOf(outcome)));

    public void Handled(SmsOutcome outcome, bool called) => Handled(NameOf(outcome), called);

    public void Handled(string outcome, bool called) =>
        _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("called", called));

    /// <summary>The outcome as it reads on the wire ("sent", "outside_window").</summary>
    public static string NameOf(SmsOutcome outcome) => JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString());
}
