using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Scheduler;

/// <summary>
/// Meter "Tasks.Scheduler": entries stored (gauge), release lateness (histogram), releases (counter; its rate is
/// releases/s), dead-lettered messages. Also the ActivitySource of release spans.
/// </summary>
public sealed class SchedulerMetrics
{
    public const string MeterName = "Tasks.Scheduler";
    public const string EntriesInstrument = "scheduler.entries";
    public const string LatenessInstrument = "scheduler.lateness";
    public const string ReleasesInstrument = "scheduler.releases";
    public const string DeadLetteredInstrument = "scheduler.dead_lettered";

    public static readonly ActivitySource ActivitySource = new(MeterName);

    // Lateness is expected in milliseconds; the upper buckets show outages and backlogs.
    private static readonly double[] LatenessBuckets = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

    private readonly Histogram<double> _lateness;
    private readonly Counter<long> _releases;
    private readonly Counter<long> _deadLettered;
    private long _entries;

    public SchedulerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        // Observable callbacks run synchronously during collection, so the gauge reports the count every claim already
        // reads from Redis (ZCARD of both sets) instead of calling Redis from the callback. Every instance reports the
        // same shared count: aggregate it with max, not sum.
        meter.CreateObservableGauge(EntriesInstrument, () => Interlocked.Read(ref _entries), "{entry}",
            "Entries stored and not yet released (waiting or being released), as of the last claim.");
        _lateness = meter.CreateHistogram(LatenessInstrument, "ms",
            "Release time (Kafka acknowledged the record) minus due time.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });
        _releases = meter.CreateCounter<long>(ReleasesInstrument, "{entry}", "Entries released to their target topic.");
        _deadLettered = meter.CreateCounter<long>(DeadLetteredInstrument, "{message}", "Requests and cancels rejected to scheduler.dlq.");
    }

    public void RecordStoredEntries(long count) => Interlocked.Exchange(ref _entries, count);

    public void Released(TimeSpan lateness)
    {
        _releases.Add(1);
        _lateness.Record(lateness.TotalMilliseconds);
    }

    public void DeadLettered() => _deadLettered.Add(1);
}
