using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tasks.Testing;

/// <summary>Records the spans of one trace that an ActivitySource ends, whichever host in the process ends them.</summary>
public sealed class SpanCollector : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _ended = new();

    public SpanCollector(string sourceName, ActivityTraceId traceId)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    _ended.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Ended => _ended.ToList();

    public void Dispose() => _listener.Dispose();
}
