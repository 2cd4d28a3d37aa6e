using System.Text.Json;
using TaskApi.Infrastructure;

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

    /// <summary>
    /// The client's Idempotency-Key (or Kafka message key); unique per creator, so a retried create returns the first
    /// task, while another caller's key of the same text is another key.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Who created it (<see cref="Infrastructure.Access.CreatedByColumn"/>); null for tasks older than that record.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When the current attempt is due to run, while it waits for the Scheduler; null for a task that runs at once.</summary>
    public DateTimeOffset? ScheduledFor { get; set; }

    /// <summary>The number of the current (or last) attempt, from 1.</summary>
    public int Attempts { get; set; } = 1;

    /// <summary>How many times an <c>error</c> is tried in all (1 = no retry).</summary>
    public int MaxAttempts { get; init; } = 1;

    public static TaskItem CreateNew(string name, JsonElement? payload, string? idempotencyKey, string createdBy, DateTimeOffset now,
        DateTimeOffset? scheduledFor = null, int maxAttempts = 1) => new()
    {
        // Version 7: time-ordered, so inserts append to the primary key index.
        Id = Guid.CreateVersion7(now),
        Name = name,
        Payload = payload?.GetRawText(),
        Status = TaskItemStatus.New,
        CreatedAt = now.TruncateToMicroseconds(),
        IdempotencyKey = idempotencyKey,
        CreatedBy = createdBy,
        ScheduledFor = scheduledFor?.TruncateToMicroseconds(),
        MaxAttempts = maxAttempts,
    };
}

public enum TaskItemStatus
{
    New,
    InProgress,
    Success,
    Error,
    Cancelled,
}

/// <summary>The words the API, the database and the messages use for task statuses ("in_progress").</summary>
public static class TaskItemStatusNames
{
    public static IReadOnlyDictionary<string, TaskItemStatus> ByName => StatusNames<TaskItemStatus>.ByName;

    public static string Of(TaskItemStatus status) => StatusNames<TaskItemStatus>.Of(status);

    public static TaskItemStatus Parse(string name) => StatusNames<TaskItemStatus>.Parse(name);

    /// <summary>Statuses a task never leaves.</summary>
    public static readonly IReadOnlyList<TaskItemStatus> Terminal = [TaskItemStatus.Success, TaskItemStatus.Error, TaskItemStatus.Cancelled];

    /// <summary>The terminal statuses as an SQL list: <c>('success', 'error', 'cancelled')</c>.</summary>
    public static readonly string TerminalSqlList = StatusNames<TaskItemStatus>.SqlList(Terminal);
}
