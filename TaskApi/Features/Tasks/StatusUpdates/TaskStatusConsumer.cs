using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Model;
using Tasks.Shared;
using Tasks.ApiDefaults;

namespace TaskApi.Features.Tasks.StatusUpdates;

/// <summary>
/// Applies the workers' status events (<c>tasks.status</c>) to the tasks, monotonically. Events are ordered by
/// (attempt, new &lt; in_progress &lt; success | error): an event only applies when it is later than the task's
/// state, so a repeated or late event changes nothing and redelivery is safe. <c>startedAt</c> is the first
/// start and <c>finishedAt</c> is set once. An <c>error</c> with attempts left is not final: the task goes back
/// to <c>new</c> as the next attempt, due after a backoff, and its work is requested from the Scheduler in the
/// same transaction. Terminal statuses (success, error, cancelled) never change.
/// </summary>
public sealed partial class TaskStatusConsumer(
    [FromKeyedServices(TaskStatusConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    OutboxSignal outbox,
    IOptions<BackoffOptions> retries,
    TaskMetrics metrics,
    TimeProvider clock,
    ILogger<TaskStatusConsumer> logger) : BatchConsumer(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "status";
    public const string ConsumerGroup = "taskapi-status";
    public const int MaxErrorLength = 4000;

    private static readonly string New = TaskItemStatusNames.Of(TaskItemStatus.New);
    private static readonly string InProgress = TaskItemStatusNames.Of(TaskItemStatus.InProgress);
    private static readonly string Success = TaskItemStatusNames.Of(TaskItemStatus.Success);
    private static readonly string Error = TaskItemStatusNames.Of(TaskItemStatus.Error);
    private static readonly string Terminal = TaskItemStatusNames.TerminalSqlList;
    private static readonly string Cancelled = TaskItemStatusNames.Of(TaskItemStatus.Cancelled);

    private static string Rank(string status) => $"(CASE {status} WHEN '{New}' THEN 0 WHEN '{InProgress}' THEN 1 ELSE 2 END)";

    // One row per task (events folded beforehand: UPDATE ... FROM applies only one match per row). The CTE reads the
    // rows as they were, so RETURNING can tell the transition; rows that would not change are left out.
    private static readonly string UpdateSql = $"""
        WITH changes AS (
            SELECT * FROM unnest(@ids, @attempts, @statuses, @occurred, @errors, @started, @retry_at)
                AS c(id, attempt, status, occurred_at, error, started_at, retry_at)
        ), decided AS (
            SELECT c.*, t.status AS previous_status,
                   t.status NOT IN {Terminal}
                   AND (c.attempt > t.attempts OR (c.attempt = t.attempts AND {Rank("c.status")} > {Rank("t.status")})) AS advances,
                   c.status = '{Error}' AND c.attempt < t.max_attempts AS retries
            FROM changes c JOIN tasks t USING (id)
        )
        UPDATE tasks AS t SET
            status = CASE WHEN NOT d.advances THEN t.status WHEN d.retries THEN '{New}' ELSE d.status END,
            attempts = CASE WHEN NOT d.advances THEN t.attempts WHEN d.retries THEN d.attempt + 1 ELSE d.attempt END,
            started_at = CASE WHEN t.status = '{Cancelled}' THEN t.started_at ELSE COALESCE(t.started_at, d.started_at) END,
            scheduled_for = CASE WHEN NOT d.advances THEN t.scheduled_for WHEN d.retries THEN d.retry_at ELSE NULL END,
            finished_at = CASE WHEN d.advances AND d.status IN ('{Success}', '{Error}') AND NOT d.retries THEN d.occurred_at ELSE t.finished_at END,
            error = CASE WHEN NOT d.advances THEN t.error WHEN d.status = '{Error}' THEN d.error WHEN d.status = '{Success}' THEN NULL ELSE t.error END
        FROM decided d
        -- A cancelled task never changes, even when a worker ran it anyway (the cancel came too late to stop it).
        WHERE t.id = d.id AND (d.advances OR (t.started_at IS NULL AND d.started_at IS NOT NULL AND t.status <> '{Cancelled}'))
        RETURNING t.id, d.previous_status, t.status, t.attempts, t.scheduled_for, t.name, t.payload::text
        """;

    private readonly BackoffOptions _retries = retries.Value;

    protected override string Topic => KafkaTopics.TaskStatus;

    protected override string DeadLetterTopic => KafkaTopics.TaskStatusDeadLetter;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.TaskStatusDeadLetter);

    protected override async Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(
        IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<Guid, FoldedChange>();
        var rejected = new List<RejectedRecord>();
        foreach (var message in batch)
        {
            using var activity = KafkaTracing.StartProcess(message);
            var read = Read(message.Message.Value);
            if (read.Error is { } error)
            {
                rejected.Add(new RejectedRecord(message, error));
                continue;
            }
            var change = read.Change!;
            changes[change.TaskId] = changes.TryGetValue(change.TaskId, out var folded)
                ? folded.Apply(change, activity?.Id)
                : FoldedChange.From(change, activity?.Id);
        }

        if (changes.Count > 0)
        {
            await ApplyAsync(changes, cancellationToken);
        }
        return rejected;
    }

    private async Task ApplyAsync(Dictionary<Guid, FoldedChange> changes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var retried = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var transitions = await UpdateAsync(db, transaction, changes.Values.ToList(), _retries, cancellationToken);
            var retries = transitions.Where(t => t.Current == TaskItemStatus.New).ToList();
            if (retries.Count > 0)
            {
                var now = clock.GetUtcNow();
                // The retry continues the trace of the error that caused it.
                db.OutboxMessages.AddRange(retries.Select(r =>
                    TaskWork.Enqueue(r.TaskId, r.Name, r.Payload, r.Attempt, r.ScheduledFor, changes[r.TaskId].TraceParent, now)));
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            foreach (var transition in transitions)
            {
                Report(transition);
            }
            return retries.Count;
        });
        if (retried > 0)
        {
            outbox.Notify();
        }
    }

    private static async Task<List<Transition>> UpdateAsync(
        TasksDbContext db, IDbContextTransaction transaction, List<FoldedChange> rows, BackoffOptions retries, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpdateSql, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction())
        {
            Parameters =
            {
                new("ids", rows.Select(r => r.Latest.TaskId).ToArray()),
                new("attempts", rows.Select(r => r.Latest.Attempt).ToArray()),
                new("statuses", rows.Select(r => TaskItemStatusNames.Of(r.LatestStatus)).ToArray()),
                new("occurred", rows.Select(r => r.Latest.OccurredAt).ToArray()),
                new("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.Latest.Error ?? DBNull.Value).ToArray() },
                new("started", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => (object?)r.StartedAt ?? DBNull.Value).ToArray() },
                new("retry_at", rows.Select(r => retries.NextAttemptAt(r.Latest.OccurredAt, r.Latest.Attempt)).ToArray()),
            },
        };
        var transitions = new List<Transition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            transitions.Add(new Transition(
                reader.GetGuid(0),
                TaskItemStatusNames.Parse(reader.GetString(1)),
                TaskItemStatusNames.Parse(reader.GetString(2)),
                reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : JsonSerializer.Deserialize<JsonElement>(reader.GetString(6))));
        }
        return transitions;
    }

    private void Report(Transition transition)
    {
        if (transition.Previous == transition.Current)
        {
            return;
        }
        switch (transition.Current)
        {
            case TaskItemStatus.InProgress:
                metrics.Started();
                LogStarted(transition.TaskId, transition.Attempt);
                break;
            case TaskItemStatus.New:
                metrics.Retried();
                LogRetrying(transition.TaskId, transition.Attempt, transition.ScheduledFor);
                break;
            default:
                metrics.Finished(transition.Current);
                LogFinished(transition.TaskId, TaskItemStatusNames.Of(transition.Current), transition.Attempt);
                break;
        }
    }

    private ReadResult Read(byte[]? value)
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
        if (change is null || change.TaskId == Guid.Empty || !Enum.IsDefined(change.Status) || change.Attempt < 1)
        {
            return new(null, "Expected {\"taskId\": GUID, \"status\": in_progress|success|error, \"occurredAt\": ISO-8601, \"error\": text or null, \"attempt\": 1 or more}.");
        }
        if (change.Error is { } error && !TextRules.IsStorable(error))
        {
            return new(null, "The error text contains NUL or invalid Unicode.");
        }
        return new(change with { OccurredAt = change.OccurredAt.TruncateToMicroseconds(), Error = NpgsqlArrays.Truncated(change.Error, MaxErrorLength) }, null);
    }

    private sealed record ReadResult(TaskStatusChanged? Change, string? Error);

    private sealed record Transition(Guid TaskId, TaskItemStatus Previous, TaskItemStatus Current, int Attempt, DateTimeOffset? ScheduledFor, string Name, JsonElement? Payload);

    /// <summary>All of one batch's events for one task: the latest by (attempt, status), its trace, and the first start.</summary>
    private sealed record FoldedChange(TaskStatusChanged Latest, string? TraceParent, DateTimeOffset? StartedAt)
    {
        public TaskItemStatus LatestStatus => Latest.Status switch
        {
            TaskRunStatus.InProgress => TaskItemStatus.InProgress,
            TaskRunStatus.Success => TaskItemStatus.Success,
            _ => TaskItemStatus.Error,
        };

        public static FoldedChange From(TaskStatusChanged change, string? traceParent) =>
            new(change, traceParent, change.Status == TaskRunStatus.InProgress ? change.OccurredAt : null);

        public FoldedChange Apply(TaskStatusChanged change, string? traceParent)
        {
            var started = change.Status == TaskRunStatus.InProgress && (StartedAt is null || change.OccurredAt < StartedAt) ? change.OccurredAt : StartedAt;
            var later = (change.Attempt, Rank(change.Status)).CompareTo((Latest.Attempt, Rank(Latest.Status))) > 0;
            return later ? new FoldedChange(change, traceParent, started) : this with { StartedAt = started };
        }

        private static int Rank(TaskRunStatus status) => status == TaskRunStatus.InProgress ? 1 : 2;
    }

    [LoggerMessage(LogLevel.Information, "Task {TaskId} started (attempt {Attempt})")]
    private partial void LogStarted(Guid taskId, int attempt);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} failed; attempt {Attempt} runs at {RetryAt:O}")]
    private partial void LogRetrying(Guid taskId, int attempt, DateTimeOffset? retryAt);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} finished with {Status} (attempt {Attempt})")]
    private partial void LogFinished(Guid taskId, string status, int attempt);
}
