using System.Diagnostics.Metrics;
using System.Text.Json;
using Tasks.Shared;

namespace TaskWorker.Work;

/// <summary>The worker's meter; named with the telemetry prefix so ServiceDefaults collects it.</summary>
public sealed class WorkerMetrics
{
    public const string MeterName = Microsoft.Extensions.Hosting.Extensions.TelemetryPrefix + "TaskWorker";

    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Counter<long> _deadLettered;

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _started = meter.CreateCounter<long>("tasks.worker.started", "{task}", "Task runs started.");
        _finished = meter.CreateCounter<long>("tasks.worker.finished", "{task}", "Task runs that reported their outcome, by status.");
        _inFlight = meter.CreateUpDownCounter<long>("tasks.worker.in_flight", "{task}", "Task runs in progress.");
        _deadLettered = meter.CreateCounter<long>("tasks.worker.dead_lettered", "{record}", "Records that could not be read and went to a dead-letter topic, by topic.");
    }

    public void RunStarted()
    {
        _started.Add(1);
        _inFlight.Add(1);
    }

    public void RunFinished(TaskRunStatus status) =>
        // The status as it reads on the wire and in the API ("success", "error").
        _finished.Add(1, new KeyValuePair<string, object?>("status", JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString())));

    /// <summary>A run left, finished or not.</summary>
    public void RunEnded() => _inFlight.Add(-1);

    public void DeadLettered(string deadLetterTopic) => _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", deadLetterTopic));
}
