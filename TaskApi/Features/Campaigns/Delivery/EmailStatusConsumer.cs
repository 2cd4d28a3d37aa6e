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

namespace TaskApi.Features.Campaigns.Delivery;

/// <summary>
/// Applies the workers' reports (<c>emails.status</c>) to the emails, a batch per transaction: it locks the batch's
/// campaigns, then their emails, decides each email's next state (<see cref="EmailTransition"/>), writes the emails, the
/// campaigns' counts (a campaign with nothing pending is sent) and the retries' send records, all in one commit.
/// Repeated and late reports change nothing, so redelivery is safe.
/// </summary>
public sealed partial class EmailStatusConsumer(
    [FromKeyedServices(EmailStatusConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    OutboxSignal outbox,
    IOptions<CampaignOptions> options,
    CampaignMetrics metrics,
    TimeProvider clock,
    ILogger<EmailStatusConsumer> logger) : ReportBatchConsumer<EmailOutcomeReported>(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "emails-status";
    public const string ConsumerGroup = "taskapi-emails-status";

    private const string LockEmailsSql = """
        SELECT id, campaign_id, email, name, fields::text, content::text, status, attempts, dispatch FROM email_messages
        WHERE id = ANY(@ids) ORDER BY id FOR UPDATE
        """;

    private const string UpdateEmailsSql = """
        UPDATE email_messages AS m SET
            status = c.status, attempts = c.attempts, dispatch = c.dispatch, due_at = c.due_at,
            sent_at = COALESCE(c.sent_at, m.sent_at), finished_at = c.finished_at, last_error = COALESCE(c.last_error, m.last_error)
        FROM unnest(@ids, @statuses, @attempts, @dispatches, @due_at, @sent_at, @finished_at, @errors)
            AS c(id, status, attempts, dispatch, due_at, sent_at, finished_at, last_error)
        WHERE m.id = c.id
        """;

    protected override string Topic => KafkaTopics.EmailsStatus;

    protected override string DeadLetterTopic => KafkaTopics.EmailsStatusDeadLetter;

    protected override string MessageIdTag => "email.message_id";

    protected override long MessageIdOf(EmailOutcomeReported report) => report.MessageId;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.EmailsStatusDeadLetter);

    // One report per email per batch: a 'sent' (it went out), else the latest record's.
    protected override bool Supersedes(EmailOutcomeReported report, EmailOutcomeReported kept) =>
        kept.Outcome != EmailOutcome.Sent && (report.Outcome == EmailOutcome.Sent || report.Dispatch > kept.Dispatch);

    protected override async Task ApplyAsync(Dictionary<long, (EmailOutcomeReported Report, string? TraceParent)> reports, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var transitions = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var ids = reports.Keys.ToArray();
            // Campaigns first, then emails: the order every writer of emails keeps (CampaignEmails).
            var campaignIds = await db.EmailMessages.Where(m => ids.Contains(m.Id) && m.CampaignId != null)
                .Select(m => m.CampaignId!.Value).Distinct().ToArrayAsync(cancellationToken);
            var campaigns = await CampaignEmails.LockAsync(db, campaignIds, cancellationToken);
            var rows = await LockEmailsAsync(connection, ids, cancellationToken);

            var now = clock.GetUtcNow();
            var transitions = rows.Select(row => EmailTransition.Decide(row, reports[row.Id].Report, now, options.Value))
                .OfType<EmailTransition>().ToList();
            if (transitions.Count == 0)
            {
                return transitions;
            }
            await UpdateEmailsAsync(connection, transitions, cancellationToken);
            foreach (var transition in transitions.Where(t => t.Status != t.Before.Status && t.Before.CampaignId is not null))
            {
                var campaign = campaigns[transition.Before.CampaignId!.Value];
                campaign.Counts.Add(transition.Before.Status, -1);
                campaign.Counts.Add(transition.Status, 1);
            }
            foreach (var campaign in campaigns.Values)
            {
                campaign.FinishIfDone(now);
            }
            await db.SaveChangesAsync(cancellationToken);
            await OutboxCopy.WriteAsync(connection, transitions.Where(t => t.NextSend is not null)
                .Select(t => CampaignRecords.Send(t.NextSend!, t.DueAt, reports[t.Before.Id].TraceParent, now)), cancellationToken);
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

    private static async Task<List<EmailRow>> LockEmailsAsync(NpgsqlConnection connection, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LockEmailsSql, connection) { Parameters = { new("ids", ids) } };
        var rows = new List<EmailRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new EmailRow(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), StatusNames<EmailStatus>.Parse(reader.GetString(6)),
                reader.GetInt32(7), reader.GetInt32(8)));
        }
        return rows;
    }

    private static async Task UpdateEmailsAsync(NpgsqlConnection connection, List<EmailTransition> transitions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpdateEmailsSql, connection)
        {
            Parameters =
            {
                new("ids", transitions.Select(t => t.Before.Id).ToArray()),
                new("statuses", transitions.Select(t => StatusNames<EmailStatus>.Of(t.Status)).ToArray()),
                new("attempts", transitions.Select(t => t.Attempts).ToArray()),
                new("dispatches", transitions.Select(t => t.Dispatch).ToArray()),
                NpgsqlArrays.Of("due_at", NpgsqlDbType.TimestampTz, transitions.Select(t => t.DueAt)),
                NpgsqlArrays.Of("sent_at", NpgsqlDbType.TimestampTz, transitions.Select(t => t.SentAt)),
                NpgsqlArrays.Of("finished_at", NpgsqlDbType.TimestampTz, transitions.Select(t => t.FinishedAt)),
                NpgsqlArrays.Of("errors", NpgsqlDbType.Varchar, transitions.Select(t => NpgsqlArrays.Truncated(t.LastError, EmailMessageConfiguration.MaxErrorLength))),
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Report(EmailTransition transition)
    {
        var before = transition.Before;
        if (transition.NextSend is { } next)
        {
            metrics.Retried();
            LogRetried(before.CampaignId, before.Id, next.Dispatch, transition.DueAt, LogText.EscapedIfAny(transition.LastError));
        }
        else if (transition.Status != before.Status)
        {
            metrics.Settled(transition.Status);
            LogSettled(before.CampaignId, before.Id, StatusNames<EmailStatus>.Of(before.Status), StatusNames<EmailStatus>.Of(transition.Status),
                transition.Attempts, LogText.EscapedIfAny(transition.LastError));
        }
    }

    protected override string? Read(byte[]? value, out EmailOutcomeReported? report)
    {
        report = null;
        try
        {
            report = value is null ? null : MessageJson.Deserialize<EmailOutcomeReported>(value);
        }
        catch (JsonException e)
        {
            return JsonErrors.Describe(e);
        }
        if (report is not { MessageId: > 0, Dispatch: > 0 } || report.CampaignId is <= 0 || !Enum.IsDefined(report.Outcome))
        {
            return "Expected {\"messageId\": >0, \"campaignId\": >0 or null, \"dispatch\": >0, \"outcome\": sent|failed|retry, \"occurredAt\": ISO-8601}.";
        }
        if (report.Error is { } error && !TextRules.IsStorable(error))
        {
            return "The error text contains NUL or invalid Unicode.";
        }
        report = report with { OccurredAt = report.OccurredAt.TruncateToMicroseconds() };
        return null;
    }

    [LoggerMessage(LogLevel.Information, "Campaign {CampaignId} email {MessageId}: {Previous} -> {Status} after {Attempts} attempts {LastError}")]
    private partial void LogSettled(long? campaignId, long messageId, string previous, string status, int attempts, string? lastError);

    [LoggerMessage(LogLevel.Information, "Campaign {CampaignId} email {MessageId}: retried as dispatch {Dispatch} at {DueAt:O} after {LastError}")]
    private partial void LogRetried(long? campaignId, long messageId, int dispatch, DateTimeOffset? dueAt, string? lastError);

}
