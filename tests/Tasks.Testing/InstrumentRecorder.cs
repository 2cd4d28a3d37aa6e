using System.Diagnostics.Metrics;

namespace Tasks.Testing;

/// <summary>
/// Sums what one counter or histogram of one service instance records, and counts the measurements (its meters come
/// from that host's IMeterFactory).
/// </summary>
public sealed class InstrumentRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;
    private long _count;

    public InstrumentRecorder(IMeterFactory meterFactory, string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            Interlocked.Add(ref _total, value);
            Interlocked.Increment(ref _count);
        });
        // A histogram of durations records doubles: they are counted, not summed.
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _count));
        _listener.Start();
    }

    /// <summary>The sum of the measurements of a long instrument.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>How many measurements were recorded (for a histogram: how many events it measured).</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
