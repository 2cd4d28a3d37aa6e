namespace TaskApi.Infrastructure.Outbox;

/// <summary>
/// A Kafka record written in the same transaction as the state change it announces, and published by
/// <see cref="OutboxRelay"/> afterwards: a record exists if and only if its change was committed.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }
    public required string Topic { get; init; }
    public byte[]? Key { get; init; }
    /// <summary>Null: a tombstone (a compacted topic forgets the key).</summary>
    public required byte[]? Value { get; init; }

    /// <summary>
    /// Express: the relay claims unsent express records ahead of every other in each round, so an urgent record never
    /// waits behind a backlog (a 100,000-message mailing's records).
    /// </summary>
    public bool Express { get; init; }

    /// <summary>
    /// Headers to publish with the record, in order (null: none but the trace context). A replayed dead letter keeps its
    /// original headers; the relay's own trace context (<see cref="TraceParent"/>) replaces any trace headers among them.
    /// </summary>
    public IReadOnlyList<RecordHeader>? Headers { get; init; }

    /// <summary>The W3C traceparent of the operation that wrote the record, so the publish joins its trace.</summary>
    public string? TraceParent { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// When the relay gave up on the record because Kafka refused it for good (too large, invalid): it stays here,
    /// unsent, for an operator to look at, and the relay goes on with the records behind it.
    /// </summary>
    public DateTimeOffset? SetAsideAt { get; set; }

    /// <summary>Kafka's answer that set the record aside: its error code and reason.</summary>
    public string? SetAsideReason { get; set; }
}
