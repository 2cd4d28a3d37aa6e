using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.DeadLetters;

/// <summary>
/// A record that reached a <c>*.dlq</c> topic (a consumer could not use it), kept for operators: where it is, where it
/// came from, its original key, value and headers, and why it was rejected; then whether it was replayed or discarded.
/// </summary>
public sealed class DeadLetter
{
    public long Id { get; init; }

    /// <summary>The dead-letter topic it was read from.</summary>
    public required string Topic { get; init; }

    public int Partition { get; init; }
    public long Offset { get; init; }

    /// <summary>The dead-letter record's own Kafka timestamp: when it was dead-lettered.</summary>
    public DateTimeOffset DeadLetteredAt { get; init; }

    /// <summary>The topic it was rejected from (its <c>dlq-source</c> header): where a replay publishes it. Null: unknown.</summary>
    public string? SourceTopic { get; init; }

    public int? SourcePartition { get; init; }
    public long? SourceOffset { get; init; }

    public byte[]? Key { get; init; }

    /// <summary>The original value (null: a tombstone).</summary>
    public byte[]? Value { get; init; }

    /// <summary>The original headers, in order, without the <c>dlq-*</c> ones.</summary>
    public required IReadOnlyList<RecordHeader> Headers { get; init; }

    /// <summary>Why it was rejected (its <c>dlq-reason</c> header).</summary>
    public required string Reason { get; init; }

    /// <summary>A truncated copy: the original did not fit the producer's limit, so it cannot be replayed from here.</summary>
    public bool Truncated { get; init; }

    /// <summary>On a truncated copy, the original's key, value and headers in bytes.</summary>
    public long? OriginalSize { get; init; }

    /// <summary>When TaskApi stored it.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    public DeadLetterState State { get; set; }

    /// <summary>When it was replayed or discarded.</summary>
    public DateTimeOffset? StateChangedAt { get; set; }

    /// <summary>Who replayed or discarded it: the operator's id or the app's client id, as <c>createdBy</c> elsewhere.</summary>
    public string? StateChangedBy { get; set; }
}

public enum DeadLetterState
{
    /// <summary>Stored, for an operator to replay or discard.</summary>
    Waiting,

    /// <summary>Published again to its source topic (through the outbox).</summary>
    Replayed,

    /// <summary>Set aside for good by an operator.</summary>
    Discarded,
}
