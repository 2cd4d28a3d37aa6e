using System.Diagnostics.Metrics;
using System.Text.Json;
using Tasks.Shared;

namespace TaskWorker.Email;

/// <summary>The email sending's meter; named with the telemetry prefix so ServiceDefaults collects it.</summary>
public sealed class EmailMetrics
{
    public const string MeterName = Microsoft.Extensions.Hosting.Extensions.TelemetryPrefix + "TaskWorker.Email";

    /// <summary>The outcome of a send record whose campaign was cancelled: nothing is sent and nothing reported.</summary>
    public const string CancelledOutcome = "cancelled";

    private readonly Histogram<double> _sendDuration;
    private readonly Counter<long> _outcomes;
    private readonly Counter<long> _templatesCompiled;
    private readonly Counter<long> _connectionsOpened;

    public EmailMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _sendDuration = meter.CreateHistogram<double>("email.smtp.duration", "ms",
            "How long one attempt at the SMTP server took (a new session's connecting included), by outcome.");
        _outcomes = meter.CreateCounter<long>("email.outcomes", "{message}",
            "Email send records handled, by outcome (sent, failed, retry, cancelled) and whether the SMTP server was given the email.");
        _templatesCompiled = meter.CreateCounter<long>("email.templates.compiled", "{template}",
            "Campaign templates compiled: one per campaign change, however many emails it renders.");
        _connectionsOpened = meter.CreateCounter<long>("email.smtp.connections.opened", "{connection}",
            "SMTP sessions opened (connected, secured, authenticated); each carries many emails.");
    }

    public void Sent(EmailOutcome outcome, TimeSpan duration) =>
        _sendDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", NameOf(outcome)));

    public void Handled(EmailOutcome outcome, bool called) => Handled(NameOf(outcome), called);

    public void Handled(string outcome, bool called) =>
        _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("called", called));

    public void TemplateCompiled() => _templatesCompiled.Add(1);

    public void ConnectionOpened() => _connectionsOpened.Add(1);

    /// <summary>The outcome as it reads on the wire ("sent", "retry").</summary>
    public static string NameOf(EmailOutcome outcome) => JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString());
}
