using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;
using TaskApi.Infrastructure;
using TaskApi.Model;

namespace TaskApi.Features.Tasks.CreateTask;

/// <summary>A task to create: the JSON body of <c>POST /tasks</c> (or a Kafka intake message) and its Idempotency-Key.</summary>
public sealed class CreateTaskRequest
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>What the task is called: 1 to 200 characters, no control characters.</summary>
    public string Name { get; set; } = null!;

    /// <summary>Any JSON value handed to the worker with the task; at most 64 KiB.</summary>
    public JsonElement? Payload { get; set; }

    /// <summary>Run no earlier than this (ISO-8601 with an offset); a time in the past runs now; at most one year ahead.</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? RunAt { get; set; }

    /// <summary>Run this many seconds from now (0 to 31,536,000); not together with runAt.</summary>
    public int? DelaySeconds { get; set; }

    /// <summary>Attempts in all when a run ends in error (1 to 10, default 1): retries wait an exponential backoff with jitter.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>
    /// Optional key (1 to 200 visible ASCII characters). Repeating a POST with the same key returns the task the first
    /// POST created (200) instead of creating another. Keys are each caller's own: another caller's key of the same text
    /// creates its own task. Over Kafka, the message key. Never read from the JSON body.
    /// </summary>
    [FromHeader(IdempotencyKeyHeader, isRequired: false)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenReading)]
    public string? IdempotencyKey { get; set; }

    /// <summary>The task this request of <paramref name="createdBy"/> creates; deferred when it is due after <paramref name="now"/>.</summary>
    public TaskItem ToNewTask(DateTimeOffset now, string createdBy)
    {
        // PostgreSQL stores instants; Npgsql writes them only in UTC.
        var due = RunAt?.ToUniversalTime() ?? (DelaySeconds is { } delay ? now.AddSeconds(delay) : null);
        return TaskItem.CreateNew(Name, Payload, IdempotencyKey, createdBy, now,
            scheduledFor: due > now ? due : null,
            maxAttempts: MaxAttempts ?? 1);
    }
}
