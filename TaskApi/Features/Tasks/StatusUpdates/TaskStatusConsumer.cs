using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Kafka;
using TaskApi.Model;
using Tasks.Shared;

namespace TaskApi.Features.Tasks.StatusUpdates;

/// <summary>
/// Applies the workers' status events (<c>tasks.status</c>) to the tasks, monotonically: a task only moves
/// forward (new → in_progress → success | error), <c>startedAt</c> and <c>finishedAt</c> are set once, and the
/// first terminal status wins. A repeated or late event therefore changes nothing, which makes redelivery safe.
/// </summary>
public sealed partial class TaskStatusConsumer(
    [FromKeyedServices(TaskStatusConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    IProducer<byte[]?, byte[]> producer,
    TaskMetrics metrics,
    ILogger<TaskStatusConsumer> logger) : BatchConsumer(consumer, logger)
{
    public const string ConsumerKey = "status";
    public const string ConsumerGroup = "taskapi-status";
    public const int MaxErrorLength = 4000;

    private static readonly string New = TaskItemStatusNames.Of(TaskItemStatus.New);
    private static readonly string InProgress = TaskItemStatusNames.Of(TaskItemStatus.InProgress);
    private static readonly string Terminal = $"('{TaskItemStatusNames.Of(TaskItemStatus.Success)}', '{TaskItemStatusNames.Of(TaskItemStatus.Error)}')";

    // One row per task (events folded beforehand: UPDATE ... FROM applies only one match per row).
    // The WHERE clause keeps rows that would not change out, so RETURNING lists exactly the transitions.
    private static readonly string UpdateSql = $"""
        WITH changes AS (
            SELECT * FROM unnest(@ids, @started, @terminal, @finished, @errors)
                AS c(id, started_at, terminal, finished_at, error)
        ), previous AS (
            SELECT t.id, t.status FROM tasks t JOIN changes USING (id)
        )
        UPDATE tasks AS t SET
            started_at = COALESCE(t.started_at, c.started_at),
            status = CASE
                WHEN t.status IN {Terminal} THEN t.status
                WHEN c.terminal IS NOT NULL THEN c.terminal
                WHEN c.started_at IS NOT NULL THEN '{InProgress}'
                ELSE t.status END,
            finished_at = CASE WHEN t.status NOT IN {Terminal} AND c.terminal IS NOT NULL THEN c.finished_at ELSE t.finished_at END,
            error = CASE WHEN t.status NOT IN {Terminal} AND c.terminal IS NOT NULL THEN c.error ELSE t.error END
        FROM changes c JOIN previous p USING (id)
        WHERE t.id = c.id
          AND ((t.started_at IS NULL AND c.started_at IS NOT NULL)
               OR (t.status = '{New}' AND c.started_at IS NOT NULL)
               OR (t.status NOT IN {Terminal} AND c.terminal IS NOT NULL))
        RETURNING t.id, p.status AS previous_status, t.status
        """;

    protected override string Topic => KafkaTopics.TaskStatus;

    protected override async Task HandleBatchAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<Guid, FoldedChange>();
        var rejected = new List<(ConsumeResult<byte[]?, byte[]> Message, string Reason)>();
        foreach (var message in batch)
        {
            using var activity = KafkaTracing.StartProcess(message);
            var read = Read(message.Message.Value);
            if (read.Error is { } error)
            {
                rejected.Add((message, error));
                continue;
            }
            var change = read.Change!;
            changes[change.TaskId] = changes.GetValueOrDefault(change.TaskId).Apply(change);
        }

        if (changes.Count > 0)
        {
            await ApplyAsync(changes, cancellationToken);
        }

        await Task.WhenAll(rejected.Select(r => producer.DeadLetterAsync(KafkaTopics.TaskStatusDeadLetter, r.Message, r.Reason, cancellationToken)));
        foreach (var (message, reason) in rejected)
        {
            metrics.DeadLettered(KafkaTopics.TaskStatusDeadLetter);
            LogRejected(message.TopicPartitionOffset.ToString(), reason);
        }
    }

    private async Task ApplyAsync(Dictionary<Guid, FoldedChange> changes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var rows = changes.ToList();
            await using var command = new NpgsqlCommand(UpdateSql, connection)
            {
                Parameters =
                {
                    new("ids", rows.Select(r => r.Key).ToArray()),
                    new("started", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => (object?)r.Value.StartedAt ?? DBNull.Value).ToArray() },
                    new("terminal", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = rows.Select(r => (object?)r.Value.TerminalStatus ?? DBNull.Value).ToArray() },
                    new("finished", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => (object?)r.Value.FinishedAt ?? DBNull.Value).ToArray() },
                    new("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.Value.Error ?? DBNull.Value).ToArray() },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Report(reader.GetGuid(0), TaskItemStatusNames.Parse(reader.GetString(1)), TaskItemStatusNames.Parse(reader.GetString(2)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private void Report(Guid taskId, TaskItemStatus previous, TaskItemStatus current)
    {
        if (previous == TaskItemStatus.New && current != TaskItemStatus.New)
        {
            metrics.Started();
        }
        if (current is TaskItemStatus.InProgress)
        {
            LogStarted(taskId);
        }
        else if (current != previous)
        {
            metrics.Finished(current);
            LogFinished(taskId, TaskItemStatusNames.Of(current));
        }
    }

    private static ReadResult Read(byte[]? value)
    {
        TaskStatusChanged? change;
        try
        {
            change = value is null ? null : MessageJson.Deserialize<TaskStatusChanged>(value);
        }
        catch (JsonException e)
        {
            return new(null, JsonErrors.Describe(e));
        }
        if (change is null || change.TaskId == Guid.Empty || !Enum.IsDefined(change.Status))
        {
            return new(null, "Expected {\"taskId\": GUID, \"status\": in_progress|success|error, \"occurredAt\": ISO-8601, \"error\": text or null}.");
        }
        if (change.Error is { } error && !TextRules.IsStorable(error))
        {
            return new(null, "The error text contains NUL or invalid Unicode.");
        }
        return new(change with { OccurredAt = change.OccurredAt.TruncateToMicroseconds(), Error = Truncate(change.Error) }, null);
    }

    private static string? Truncate(string? error) => error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error;

    private sealed record ReadResult(TaskStatusChanged? Change, string? Error);

    /// <summary>All of one batch's events for one task: the earliest start and the first terminal status.</summary>
    private readonly record struct FoldedChange(DateTimeOffset? StartedAt, string? TerminalStatus, DateTimeOffset? FinishedAt, string? Error)
    {
        public FoldedChange Apply(TaskStatusChanged change) => change.Status switch
        {
            TaskRunStatus.InProgress => this with { StartedAt = StartedAt is { } started && started < change.OccurredAt ? started : change.OccurredAt },
            _ when TerminalStatus is not null => this,
            TaskRunStatus.Success => this with { TerminalStatus = TaskItemStatusNames.Of(TaskItemStatus.Success), FinishedAt = change.OccurredAt },
            _ => this with { TerminalStatus = TaskItemStatusNames.Of(TaskItemStatus.Error), FinishedAt = change.OccurredAt, Error = change.Error ?? "The worker reported an error without a message." },
        };
    }

    [LoggerMessage(LogLevel.Information, "Task {TaskId} started")]
    private partial void LogStarted(Guid taskId);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} finished with {Status}")]
    private partial void LogFinished(Guid taskId, string status);

    [LoggerMessage(LogLevel.Warning, "Status event at {Position} dead-lettered: {Reason}")]
    private partial void LogRejected(string position, string reason);
}
