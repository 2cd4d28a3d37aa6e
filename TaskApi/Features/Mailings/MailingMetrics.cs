using System.Diagnostics.Metrics;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings;

/// <summary>SMS counters (Meter "Tasks.TaskApi.Mailings"): messages created, and messages reaching each status.</summary>
public sealed class MailingMetrics
{
    public const string MeterName = "Tasks.TaskApi.Mailings";

    private readonly Counter<long> _created;
    private readonly Counter<long> _settled;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;

    public MailingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("sms.messages.created", unit: "{message}", description: "Messages made by mailings starting.");
        _settled = meter.CreateCounter<long>("sms.messages.settled", unit: "{message}", description: "Messages that reached a final status, by status.");
        _retried = meter.CreateCounter<long>("sms.messages.requeued", unit: "{message}",
            description: "Send records made again for a pending message, by reason (retry, window, end_moved).");
        _deadLettered = meter.CreateCounter<long>("sms.dead_lettered", description: "Records rejected to a dead-letter topic, by topic.");
    }

    public void MessagesCreated(int count) => _created.Add(count);

    public void Settled(MessageStatus status, int count = 1) =>
        _settled.Add(count, new KeyValuePair<string, object?>("status", StatusNames<MessageStatus>.Of(status)));

    public void Requeued(string reason) => _retried.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void DeadLettered(string topic) => _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic));
}
