using System.Diagnostics.Metrics;
using TaskApi.Features.Tasks;

namespace TaskApi.Features.Schedules.Firing;

/// <summary>Schedule counters (Meter "Tasks.TaskApi.Schedules"): occurrences by outcome, dead-lettered records.</summary>
public sealed class ScheduleMetrics
{
    public const string MeterName = "Tasks.TaskApi.Schedules";
    public const string OccurrencesInstrument = "schedules.occurrences";

    private readonly Counter<long> _occurrences;
    private readonly Counter<long> _deadLettered;

    public ScheduleMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _occurrences = meter.CreateCounter<long>(OccurrencesInstrument, unit: "{occurrence}",
            description: "Occurrences of recurring schedules by outcome: fired (a task created), duplicate (its task existed), skipped (missed), stale (a record of a changed schedule).");
        _deadLettered = meter.CreateCounter<long>("schedules.dead_lettered", description: "Records rejected to a dead-letter topic, by topic.");
    }

    public void Occurred(OccurrenceOutcome outcome, int count = 1) =>
        _occurrences.Add(count, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));

    public void DeadLettered(string topic) => _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic));
}

/// <summary>What became of an occurrence.</summary>
public enum OccurrenceOutcome
{
    Fired,
    Duplicate,
    Skipped,
    Stale,
}
