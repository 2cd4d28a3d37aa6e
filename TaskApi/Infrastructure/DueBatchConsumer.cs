using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;

namespace TaskApi.Infrastructure;

/// <summary>
/// The loop of a consumer of due records (a <typeparamref name="TDue"/> the Scheduler releases at its time): each record
/// is read as JSON and checked (<see cref="Validated"/>), or dead-lettered with <see cref="Expected"/>; each read one is
/// handled (<see cref="HandleAsync"/>) inside its record's processing span, tagged with the entity's id, up to
/// <see cref="MaxConcurrency"/> entities at once.
/// </summary>
public abstract class DueBatchConsumer<TDue>(
    IConsumer<byte[]?, byte[]> consumer,
    DeadLetterProducer deadLetters,
    ILogger logger) : BatchConsumer(consumer, deadLetters, logger) where TDue : class
{
    /// <summary>The dead-letter reason of a record that cannot be read: what its value should be.</summary>
    protected abstract string Expected { get; }

    /// <summary>The span tag naming the entity a record is about ("schedule.id").</summary>
    protected abstract string IdTag { get; }

    protected abstract long IdOf(TDue due);

    /// <summary>The record as handled, or null when its fields are unusable.</summary>
    protected abstract TDue? Validated(TDue due);

    /// <summary>Handles one record; <paramref name="traceParent"/> is its processing span's, for the records it writes.</summary>
    protected abstract Task HandleAsync(TDue due, string? traceParent, CancellationToken cancellationToken);

    /// <summary>
    /// How many of a batch's records are handled at once (1: one after another). Records about one entity are always
    /// handled one after another, in their order; each handling has its own scope and transaction.
    /// </summary>
    protected virtual int MaxConcurrency => 1;

    protected sealed override async Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(
        IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedRecord>();
        var read = new List<(ConsumeResult<byte[]?, byte[]> Record, TDue Due)>(batch.Count);
        foreach (var record in batch)
        {
            if (Read(record.Message.Value) is { } due)
            {
                read.Add((record, due));
                continue;
            }
            using (KafkaTracing.StartProcess(record))
            {
                rejected.Add(new RejectedRecord(record, Expected));
            }
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(read.GroupBy(r => IdOf(r.Due)), options, async (entity, ct) =>
        {
            foreach (var (record, due) in entity)
            {
                using var activity = KafkaTracing.StartProcess(record);
                activity?.SetTag(IdTag, IdOf(due));
                await HandleAsync(due, activity?.Id, ct);
            }
        });
        return rejected;
    }

    private TDue? Read(byte[]? value)
    {
        try
        {
            return value is not null && MessageJson.Deserialize<TDue>(value) is { } due ? Validated(due) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
