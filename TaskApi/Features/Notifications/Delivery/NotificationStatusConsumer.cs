using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.ApiDefaults;
using Tasks.Shared;

namespace TaskApi.Features.Notifications.Delivery;

/// <summary>
/// Applies the workers' reports (<c>notifications.status</c>) to the deliveries, a batch per transaction: it locks the
/// batch's notifications, then their deliveries, decides each delivery's next state (<see cref="DeliveryTransition"/>),
/// writes them in one statement, asks the Scheduler for a <see cref="NotificationDue"/> at each retry's time (one per
/// notification and time), and makes done each notification with no pending delivery left (and tombstones it on
/// <c>notifications.changes</c>), all in one commit. Repeated and late reports change nothing, so redelivery is safe.
/// </summary>
public sealed partial class NotificationStatusConsumer(
    [FromKeyedServices(NotificationStatusConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    OutboxSignal outbox,
    IOptions<NotificationOptions> options,
    NotificationMetrics metrics,
    TimeProvider clock,
    ILogger<NotificationStatusConsumer> logger) : ReportBatchConsumer<NotificationOutcomeReported>(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "notifications-status";
    public const string ConsumerGroup = "taskapi-notifications-status";

    private const string LockDeliveriesSql = """
        SELECT id, notification_id, channel, status, attempts, dispatch, dispatched_at FROM notification_deliveries
        WHERE id = ANY(@ids) ORDER BY id FOR UPDATE
        """;

    private const string UpdateDeliveriesSql = """
        UPDATE notification_deliveries AS d SET
            status = c.status, attempts = c.attempts, due_at = COALESCE(c.due_at, d.due_at), sent_at = COALESCE(c.sent_at, d.sent_at),
            dispatched_at = CASE WHEN c.status = 'pending' THEN NULL ELSE d.dispatched_at END, last_error = COALESCE(c.last_error, d.last_error)
        FROM unnest(@ids, @statuses, @attempts, @due_at, @sent_at, @errors) AS c(id, status, attempts, due_at, sent_at, last_error)
        WHERE d.id = c.id
        """;

    protected override string Topic => KafkaTopics.NotificationsStatus;

    protected override string DeadLetterTopic => KafkaTopics.NotificationsStatusDeadLetter;

    protected override string MessageIdTag => "notification.delivery_id";

    protected override long MessageIdOf(NotificationOutcomeReported report) => report.DeliveryId;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.NotificationsStatusDeadLetter);

    // One report per delivery per batch: a 'sent' (it went out), else the latest record's.
    protected override bool Supersedes(NotificationOutcomeReported report, NotificationOutcomeReported kept) =>
        kept.Outcome != NotificationOutcome.Sent && (report.Outcome == NotificationOutcome.Sent || report.Dispatch > kept.Dispatch);

    protected override async Task ApplyAsync(
        Dictionary<long, (NotificationOutcomeReported Report, string? TraceParent)> reports, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var (transitions, done) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var ids = reports.Keys.ToArray();
            // Notifications first, then deliveries: the order the dispatch and the cancellation keep.
            var notificationIds = await db.NotificationDeliveries.Where(d => ids.Contains(d.Id)).Select(d => d.NotificationId).Distinct()
                .OrderBy(id => id).ToArrayAsync(cancellationToken);
            var notifications = await db.Notifications
                .FromSql($"SELECT * FROM notifications WHERE id = ANY({notificationIds}) ORDER BY id FOR UPDATE")
                .AsNoTracking().ToDictionaryAsync(n => n.Id, cancellationToken);
            var rows = await LockDeliveriesAsync(connection, ids, cancellationToken);

            var transitions = rows.Select(row => DeliveryTransition.Decide(row, reports[row.Id].Report, options.Value))
                .OfType<DeliveryTransition>().ToList();
            if (transitions.Count == 0)
            {
                return (transitions, new List<Notification>());
            }
            await UpdateDeliveriesAsync(connection, transitions, cancellationToken);
            var now = clock.GetUtcNow().TruncateToMicroseconds();
            foreach (var retry in transitions.Where(t => t.Retries).DistinctBy(t => (t.Before.NotificationId, t.DueAt)))
            {
                db.OutboxMessages.Add(NotificationRecords.Due(notifications[retry.Before.NotificationId], retry.DueAt!.Value,
                    reports[retry.Before.Id].TraceParent, now));
            }
            await db.SaveChangesAsync(cancellationToken);
            var touched = transitions.Where(t => !t.Retries).Select(t => notifications[t.Before.NotificationId]).Distinct().ToList();
            var done = await NotificationCompletion.FinishIfDoneAsync(db, touched, traceParent: null, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (transitions, done);
        });

        if (transitions.Any(t => t.Retries) || done.Count > 0)
        {
            outbox.Notify();
        }
        Report(transitions, done);
    }

    private static async Task<List<DeliveryRow>> LockDeliveriesAsync(NpgsqlConnection connection, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LockDeliveriesSql, connection) { Parameters = { new("ids", ids) } };
        var rows = new List<DeliveryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DeliveryRow(reader.GetInt64(0), reader.GetInt64(1), StatusNames<DeliveryChannel>.Parse(reader.GetString(2)),
                StatusNames<DeliveryStatus>.Parse(reader.GetString(3)), reader.GetInt32(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return rows;
    }

    private static async Task UpdateDeliveriesAsync(NpgsqlConnection connection, List<DeliveryTransition> transitions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpdateDeliveriesSql, connection)
        {
            Parameters =
            {
                new("ids", transitions.Select(t => t.Before.Id).ToArray()),
                new("statuses", transitions.Select(t => StatusNames<DeliveryStatus>.Of(t.Status)).ToArray()),
                new("attempts", transitions.Select(t => t.Attempts).ToArray()),
                NpgsqlArrays.Of("due_at", NpgsqlDbType.TimestampTz, transitions.Select(t => t.DueAt)),
                NpgsqlArrays.Of("sent_at", NpgsqlDbType.TimestampTz, transitions.Select(t => t.SentAt)),
                NpgsqlArrays.Of("errors", NpgsqlDbType.Varchar,
                    transitions.Select(t => NpgsqlArrays.Truncated(t.LastError, NotificationDeliveryConfiguration.MaxErrorLength))),
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One log line per batch of transitions, the metrics, and a line per notification done.</summary>
    private void Report(List<DeliveryTransition> transitions, List<Notification> done)
    {
        if (transitions.Count == 0)
        {
            return;
        }
        foreach (var transition in transitions)
        {
            if (transition.Retries)
            {
                metrics.Retried(transition.Before.Channel);
            }
            else
            {
                metrics.Settled(transition.Before.Channel, transition.Status);
            }
        }
        LogApplied(transitions.Count, transitions.Count(t => t.Status == DeliveryStatus.Sent), transitions.Count(t => t.Status == DeliveryStatus.Failed),
            transitions.Count(t => t.Retries), transitions.Select(t => t.Before.NotificationId).Distinct().Count(),
            LogText.EscapedIfAny(transitions.Select(t => t.LastError).LastOrDefault(e => e is not null)));
        foreach (var notification in done)
        {
            LogDone(notification.Id);
        }
    }

    protected override string? Read(byte[]? value, out NotificationOutcomeReported? report)
    {
        report = null;
        try
        {
            report = value is null ? null : MessageJson.Deserialize<NotificationOutcomeReported>(value);
        }
        catch (JsonException e)
        {
            return JsonErrors.Describe(e);
        }
        if (report is not { DeliveryId: > 0, NotificationId: > 0, Dispatch: > 0 } || !Enum.IsDefined(report.Outcome))
        {
            return "Expected {\"deliveryId\": >0, \"notificationId\": >0, \"dispatch\": >0, \"outcome\": sent|failed|retry, \"occurredAt\": ISO-8601}.";
        }
        if (report.Error is { } error && !TextRules.IsStorable(error))
        {
            return "The error text contains NUL or invalid Unicode.";
        }
        report = report with { OccurredAt = report.OccurredAt.TruncateToMicroseconds() };
        return null;
    }

    [LoggerMessage(LogLevel.Information,
        "Notification reports applied: {Transitions} deliveries changed ({Sent} sent, {Failed} failed, {Retried} to retry) across {Notifications} notifications; last error {LastError}")]
    private partial void LogApplied(int transitions, int sent, int failed, int retried, int notifications, string? lastError);

    [LoggerMessage(LogLevel.Information, "Notification {NotificationId} done: no delivery is pending")]
    private partial void LogDone(long notificationId);
}
