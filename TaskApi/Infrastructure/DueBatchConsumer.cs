using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;

namespace TaskApi.Infrastructure;

/// <summary>
/// The loop of a consumer of due records (a <typeparamref name="TDue"/> the Scheduler releases at its time): each record
/// is read as JSON and checked (<see cref="Validated"/>), or dead-lettered with <see cref="Expected"/>; each read one is
/// handled in turn (<see cref="HandleAsync"/>) inside its record's processing span, tagged with the entity's id.
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

    protected sealed override async Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(
        IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedRecord>();
        foreach (var record in batch)
        {
            using var activity = KafkaTracing.StartProcess(record);
            if (Read(record.Message.Value) is not { } due)
            {
                rejected.Add(new RejectedRecord(record, Expected));
                continue;
            }
            activity?.SetTag(IdTag, IdOf(due));
            await HandleAsync(due, activity?.Id, cancellationToken);
        }
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
