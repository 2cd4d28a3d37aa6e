using System.Text.Json;

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

    /// <summary>The client's Idempotency-Key (or Kafka message key); unique, so a retried create returns the first task.</summary>
    public string? IdempotencyKey { get; init; }

    public static TaskItem CreateNew(string name, JsonElement? payload, string? idempotencyKey, DateTimeOffset now) => new()
    {
        // Version 7: time-ordered, so inserts append to the primary key index.
        Id = Guid.CreateVersion7(now),
        Name = name,
        Payload = payload?.GetRawText(),
        Status = TaskItemStatus.New,
        CreatedAt = now.TruncateToMicroseconds(),
        IdempotencyKey = idempotencyKey,
    };
}

public enum TaskItemStatus
{
    New,
    InProgress,
    Success,
    Error,
}

/// <summary>The words the API, the database and the messages use for statuses ("in_progress").</summary>
public static class TaskItemStatusNames
{
    public static readonly IReadOnlyDictionary<string, TaskItemStatus> ByName =
        Enum.GetValues<TaskItemStatus>().ToDictionary(Of);

    public static string Of(TaskItemStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static TaskItemStatus Parse(string name) => ByName[name];
}

public static class Timestamps
{
    /// <summary>PostgreSQL keeps microseconds; truncating first makes a created response equal what a later read returns.</summary>
    public static DateTimeOffset TruncateToMicroseconds(this DateTimeOffset value) =>
        value.AddTicks(-(value.Ticks % (TimeSpan.TicksPerMillisecond / 1000)));
}
