using System.Diagnostics.Metrics;
using TaskApi.Model;

namespace TaskApi.Features.Tasks;

/// <summary>
/// Task counters (Meter "Tasks.TaskApi"): created by source, started, finished by status, dead-lettered, outbox records
/// not delivered and set aside, and the size of each group-committed creation statement.
/// </summary>
public sealed class TaskMetrics
{
    public const string MeterName = "Tasks.TaskApi";
    public const string OutboxUndeliveredInstrument = "tasks.outbox.undelivered";
    public const string OutboxSetAsideInstrument = "tasks.outbox.set_aside";
    public const string GroupCommitBatchInstrument = "tasks.group_commit.batch_size";

    private readonly Counter<long> _created;
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _outboxUndelivered;
    private readonly Counter<long> _outboxSetAside;
    private readonly Histogram<long> _groupCommitBatch;

    public TaskMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("tasks.created", description: "Tasks stored, by source (rest, kafka).");
        _started = meter.CreateCounter<long>("tasks.started", description: "Tasks that moved to in_progress.");
        _finished = meter.CreateCounter<long>("tasks.finished", description: "Tasks that reached a terminal status, by status.");
        _retried = meter.CreateCounter<long>("tasks.retried", description: "Failed attempts that were scheduled to run again.");
        _deadLettered = meter.CreateCounter<long>("tasks.dead_lettered", description: "Messages rejected to a dead-letter topic, by topic.");
        _outboxUndelivered = meter.CreateCounter<long>(OutboxUndeliveredInstrument, description: "Outbox records Kafka did not accept (they stay unsent and are retried).");
        _outboxSetAside = meter.CreateCounter<long>(OutboxSetAsideInstrument,
            description: "Outbox records Kafka refused for good (too large, invalid), set aside unsent, by topic; each wants an operator.");
        _groupCommitBatch = meter.CreateHistogram<long>(GroupCommitBatchInstrument, unit: "{task}",
            description: "REST creations written by one statement (group commit); its count is the statements.");
    }

    public void Created(string source, int count = 1) => _created.Add(count, new KeyValuePair<string, object?>("source", source));
    public void Started() => _started.Add(1);
    public void Retried() => _retried.Add(1);
    public void Finished(TaskItemStatus status) => _finished.Add(1, new KeyValuePair<string, object?>("status", TaskItemStatusNames.Of(status)));
    public void OutboxUndelivered(int count) => _outboxUndelivered.Add(count);
    public void OutboxSetAside(string topic) => _outboxSetAside.Add(1, new KeyValuePair<string, object?>("topic", topic));
    public void GroupCommitted(int batchSize) => _groupCommitBatch.Record(batchSize);
    public void DeadLettered(string topic) => _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic));
}
