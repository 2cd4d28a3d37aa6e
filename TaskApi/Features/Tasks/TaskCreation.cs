using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;
using TaskApi.Model;

namespace TaskApi.Features.Tasks;

/// <summary>A validated task to store, with the trace context its work item should continue.</summary>
public sealed record NewTask(TaskItem Task, JsonElement? Payload, string? TraceParent);

/// <summary>
/// The one way tasks are created, for REST and Kafka intake alike: every task row and the outbox record of its
/// first attempt (<see cref="TaskWork.Enqueue"/>) are written by a single statement, so both commit or neither
/// does. A task whose creator already has a task with its idempotency key is skipped together with its outbox record,
/// which makes creation safe to repeat.
/// </summary>
public static class TaskCreation
{
    private const string InsertSql = """
        WITH input AS (
            SELECT * FROM unnest(@ids, @names, @payloads, @keys, @created_by, @created, @scheduled_for, @max_attempts,
                                 @topics, @message_keys, @message_values, @trace_parents)
                AS i(id, name, payload, idempotency_key, created_by, created_at, scheduled_for, max_attempts,
                     topic, message_key, message_value, trace_parent)
        ), inserted AS (
            INSERT INTO tasks (id, name, payload, status, created_at, idempotency_key, created_by, scheduled_for, attempts, max_attempts)
            SELECT id, name, payload, @status, created_at, idempotency_key, created_by, scheduled_for, 1, max_attempts FROM input
            ON CONFLICT (created_by, idempotency_key) DO NOTHING
            RETURNING id
        ), outboxed AS (
            INSERT INTO outbox_messages (topic, message_key, message_value, trace_parent, created_at)
            SELECT input.topic, input.message_key, input.message_value, input.trace_parent, input.created_at
            FROM input JOIN inserted USING (id)
            ORDER BY input.id
        )
        SELECT id FROM inserted
        """;

    /// <summary>Stores the tasks and their work items; returns the ids of the tasks that were new.</summary>
    public static async Task<HashSet<Guid>> InsertAsync(TasksDbContext db, IReadOnlyList<NewTask> tasks, CancellationToken cancellationToken)
    {
        var outbox = tasks.Select(t => TaskWork.Enqueue(t.Task.Id, t.Task.Name, t.Payload, attempt: 1, t.Task.ScheduledFor, t.TraceParent, t.Task.CreatedAt)).ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(InsertSql, connection)
            {
                Parameters =
                {
                    new("ids", tasks.Select(t => t.Task.Id).ToArray()),
                    new("names", tasks.Select(t => t.Task.Name).ToArray()),
                    new("payloads", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = tasks.Select(t => (object?)t.Task.Payload ?? DBNull.Value).ToArray() },
                    new("keys", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = tasks.Select(t => (object?)t.Task.IdempotencyKey ?? DBNull.Value).ToArray() },
                    // One batch may hold several callers' tasks (GroupCommit), so the creator travels per row.
                    new("created_by", tasks.Select(t => t.Task.CreatedBy).ToArray()),
                    new("created", tasks.Select(t => t.Task.CreatedAt).ToArray()),
                    new("scheduled_for", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = tasks.Select(t => (object?)t.Task.ScheduledFor ?? DBNull.Value).ToArray() },
                    new("max_attempts", tasks.Select(t => t.Task.MaxAttempts).ToArray()),
                    new("topics", outbox.Select(m => m.Topic).ToArray()),
                    new("message_keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = outbox.Select(m => (object?)m.Key ?? DBNull.Value).ToArray() },
                    new("message_values", outbox.Select(m => m.Value).ToArray()),
                    new("trace_parents", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = outbox.Select(m => (object?)m.TraceParent ?? DBNull.Value).ToArray() },
                    new("status", TaskItemStatusNames.Of(TaskItemStatus.New)),
                },
            };
            var inserted = new HashSet<Guid>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetGuid(0));
            }
            return inserted;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The trace context to store with a work item: the operation creating the task.</summary>
    public static string? CurrentTraceParent() => Activity.Current?.Id;
}
