namespace TaskApi.Model;

/// <summary>A unit of work submitted by a client and run by TaskWorker.</summary>
public sealed class TaskItem
{
    public Guid Id { get; init; }
    public required string Name { get; init; }

    /// <summary>The client's JSON exactly as sent (stored in a <c>json</c> column, which keeps it verbatim).</summary>
    public string? Payload { get; init; }

    public TaskItemStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>The client's Idempotency-Key; unique, so a retried create returns the first task.</summary>
    public string? IdempotencyKey { get; init; }
}

public enum TaskItemStatus
{
    New,
    InProgress,
    Success,
    Error,
}

public static class Timestamps
{
    /// <summary>PostgreSQL keeps microseconds; truncating first makes a created response equal what a later read returns.</summary>
    public static DateTimeOffset TruncateToMicroseconds(this DateTimeOffset value) =>
        value.AddTicks(-(value.Ticks % (TimeSpan.TicksPerMillisecond / 1000)));
}
