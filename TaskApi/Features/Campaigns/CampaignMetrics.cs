using System.Diagnostics.Metrics;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Campaigns;

/// <summary>Email counters (Meter "Tasks.TaskApi.Campaigns"): emails created, settled, retried; opens, clicks, unsubscriptions.</summary>
public sealed class CampaignMetrics
{
    public const string MeterName = "Tasks.TaskApi.Campaigns";

    private readonly Counter<long> _created;
    private readonly Counter<long> _settled;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _tracked;
    private readonly Counter<long> _deadLettered;

    public CampaignMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("emails.created", unit: "{email}", description: "Emails made by campaigns starting and daily reports.");
        _settled = meter.CreateCounter<long>("emails.settled", unit: "{email}", description: "Emails that reached a final status, by status.");
        _retried = meter.CreateCounter<long>("emails.retried", unit: "{email}", description: "Send records made again after a transient failure.");
        _tracked = meter.CreateCounter<long>("emails.tracked", unit: "{event}", description: "Opens, clicks and unsubscriptions recorded, by kind.");
        _deadLettered = meter.CreateCounter<long>("emails.dead_lettered", description: "Records rejected to a dead-letter topic, by topic.");
    }

    public void Created(int count) => _created.Add(count);

    public void Settled(EmailStatus status, int count = 1) =>
        _settled.Add(count, new KeyValuePair<string, object?>("status", StatusNames<EmailStatus>.Of(status)));

    public void Retried() => _retried.Add(1);

    public void Tracked(string kind, int count = 1) => _tracked.Add(count, new KeyValuePair<string, object?>("kind", kind));

    public void DeadLettered(string topic) => _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic));
}
