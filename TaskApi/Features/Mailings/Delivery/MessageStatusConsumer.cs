using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;
using Tasks.ApiDefaults;

namespace TaskApi.Features.Mailings.Delivery;

/// <summary>
/// Applies the workers' reports (<c>messages.status</c>) to the messages, a batch per transaction: it locks the batch's
/// mailings, then their messages, decides each message's next state (<see cref="MessageTransition"/>), writes the messages,
/// their mailings' counts (and finishes mailings with nothing pending) and the next send records of messages that wait
/// for a retry or their window, all in one commit. Repeated and late reports change nothing, so redelivery is safe.
/// </summary>
public sealed partial class MessageStatusConsumer(
    [FromKeyedServices(MessageStatusConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    OutboxSignal outbox,
    IOptions<MailingOptions> options,
    MailingMetrics metrics,
    TimeProvider clock,
    ILogger<MessageStatusConsumer> logger) : ReportBatchConsumer<SmsOutcomeReported>(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "messages-status";
    public const string ConsumerGroup = "taskapi-messages-status";

    private const string LockMessagesSql = """
        SELECT id, mailing_id, client_id, phone, timezone, status, attempts, dispatch FROM sms_messages
        WHERE id = ANY(@ids) ORDER BY id FOR UPDATE
        """;

    private const string UpdateMessagesSql = """
        UPDATE sms_messages AS m SET
            status = c.status, attempts = c.attempts, dispatch = c.dispatch, due_at = c.due_at,
            sent_at = COALESCE(c.sent_at, m.sent_at), finished_at = c.finished_at, last_error = COALESCE(c.last_error, m.last_error)
        FROM unnest(@ids, @statuses, @attempts, @dispatches, @due_at, @sent_at, @finished_at, @errors)
            AS c(id, status, attempts, dispatch, due_at, sent_at, finished_at, last_error)
        WHERE m.id = c.id
        """;

    protected override string Topic => KafkaTopics.MessagesStatus;

    protected override string DeadLetterTopic => KafkaTopics.MessagesStatusDeadLetter;

    protected override string MessageIdTag => "sms.message_id";

    protected override long MessageIdOf(SmsOutcomeReported report) => report.MessageId;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.MessagesStatusDeadLetter);

    // One report per message per batch: the latest record's, and of one record's reports a 'sent' (it went out).
    protected override bool Supersedes(SmsOutcomeReported report, SmsOutcomeReported kept) =>
        kept.Outcome != SmsOutcome.Sent && (report.Outcome == SmsOutcome.Sent || report.Dispatch > kept.Dispatch);

    protected override async Task ApplyAsync(Dictionary<long, (SmsOutcomeReported Report, string? TraceParent)> reports, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var backoff = options.Value.Retries;
        var transitions = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var ids = reports.Keys.ToArray();
            // Mailings first, then messages: the order every writer of messages keeps (MailingMessages).
            var mailingIds = await db.SmsMessages.Where(m => ids.Contains(m.Id)).Select(m => m.MailingId).Distinct().ToArrayAsync(cancellationToken);
            var mailings = await MailingMessages.LockAsync(db, mailingIds, cancellationToken);
            var rows = await LockMessagesAsync(connection, ids, cancellationToken);

            var now = clock.GetUtcNow();
            var transitions = rows
                .Select(row => MessageTransition.Decide(row, reports[row.Id].Report, mailings[row.MailingId], now, backoff))
                .OfType<MessageTransition>().ToList();
            if (transitions.Count == 0)
            {
                return transitions;
            }

            await UpdateMessagesAsync(connection, transitions, cancellationToken);
            foreach (var transition in transitions.Where(t => t.Status != t.Before.Status))
            {
                var mailing = mailings[transition.Before.MailingId];
                mailing.Counts.Add(transition.Before.Status, -1);
                mailing.Counts.Add(transition.Status, 1);
                if (transition.SentAt is { } sentAt)
                {
                    mailing.RecordSent(sentAt);
                }
            }
            foreach (var mailing in mailings.Values)
            {
                mailing.FinishIfDone(now);
            }
            await db.SaveChangesAsync(cancellationToken);
            await OutboxCopy.WriteAsync(connection, transitions.Where(t => t.NextSend is not null)
                .Select(t => MailingRecords.Send(t.NextSend!, t.DueAt, reports[t.Before.Id].TraceParent, now)), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return transitions;
        });

        if (transitions.Any(t => t.NextSend is not null))
        {
            outbox.Notify();
        }
        foreach (var transition in transitions)
        {
            Report(transition);
        }
    }

    private static async Task<List<MessageRow>> LockMessagesAsync(NpgsqlConnection connection, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LockMessagesSql, connection) { Parameters = { new("ids", ids) } };
        var rows = new List<MessageRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MessageRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
                StatusNames<MessageStatus>.Parse(reader.GetString(5)), reader.GetInt32(6), reader.GetInt32(7)));
        }
        return rows;
    }

    private static async Task UpdateMessagesAsync(NpgsqlConnection connection, List<MessageTransition> transitions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpdateMessagesSql, connection)
        {
            Parameters =
            {
                new("ids", transitions.Select(t => t.Before.Id).ToArray()),
                new("statuses", transitions.Select(t => StatusNames<MessageStatus>.Of(t.Status)).ToArray()),
                new("attempts", transitions.Select(t => t.Attempts).ToArray()),
                new("dispatches", transitions.Select(t => t.Dispatch).ToArray()),
                NpgsqlArrays.Of("due_at", NpgsqlDbType.TimestampTz, transitions.Select(t => t.DueAt)),
                NpgsqlArrays.Of("sent_at", NpgsqlDbType.TimestampTz, transitions.Select(t => t.SentAt)),
                NpgsqlArrays.Of("finished_at", NpgsqlDbType.TimestampTz, transitions.Select(t => t.FinishedAt)),
                NpgsqlArrays.Of("errors", NpgsqlDbType.Varchar, transitions.Select(t => NpgsqlArrays.Truncated(t.LastError, SmsMessageConfiguration.MaxErrorLength))),
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Report(MessageTransition transition)
    {
        var before = transition.Before;
        if (transition.NextSend is { } next)
        {
            metrics.Requeued(transition.RequeueReason!);
            LogRequeued(before.MailingId, before.ClientId, before.Id, transition.RequeueReason!, next.Dispatch, transition.DueAt, LogText.EscapedIfAny(transition.LastError));
        }
        else if (transition.Status != before.Status)
        {
            metrics.Settled(transition.Status);
            LogSettled(before.MailingId, before.ClientId, before.Id, StatusNames<MessageStatus>.Of(before.Status),
                StatusNames<MessageStatus>.Of(transition.Status), transition.Attempts, LogText.EscapedIfAny(transition.LastError));
        }
    }

    protected override string? Read(byte[]? value, out SmsOutcomeReported? report)
    {
        report = null;
        try
        {
            report = value is null ? null : MessageJson.Deserialize<SmsOutcomeReported>(value);
        }
        catch (JsonException e)
        {
            return JsonErrors.Describe(e);
        }
        if (report is not { MessageId: > 0, MailingId: > 0, Dispatch: > 0 } || !Enum.IsDefined(report.Outcome))
        {
            return "Expected {\"messageId\": >0, \"mailingId\": >0, \"dispatch\": >0, \"outcome\": sent|failed|retry|expired|outside_window, \"called\": bool, \"occurredAt\": ISO-8601}.";
        }
        if (report.Error is { } error && !TextRules.IsStorable(error))
        {
            return "The error text contains NUL or invalid Unicode.";
        }
        report = report with { OccurredAt = report.OccurredAt.TruncateToMicroseconds() };
        return null;
    }

    [LoggerMessage(LogLevel.Information, "Mailing {MailingId} client {ClientId} message {MessageId}: {Previous} -> {Status} after {Attempts} attempts {LastError}")]
    private partial void LogSettled(long mailingId, long clientId, long messageId, string previous, string status, int attempts, string? lastError);

    [LoggerMessage(LogLevel.Information, "Mailing {MailingId} client {ClientId} message {MessageId}: pending again ({Reason}), dispatch {Dispatch} due {DueAt:O} {LastError}")]
    private partial void LogRequeued(long mailingId, long clientId, long messageId, string reason, int dispatch, DateTimeOffset? dueAt, string? lastError);

}
