using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using TaskApi.Features.Campaigns;
using TaskApi.Features.Reports.GetDailyReport;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.EmailTemplates;
using Tasks.Shared;

namespace TaskApi.Features.Reports.Sending;

/// <summary>
/// Consumes <c>reports.due</c>: builds the day's report and, in one transaction, one email to each of Reports:Recipients
/// (sent through the same SMTP path as campaigns) and the request for the next day's report, when that is still ahead. A day's report is mailed
/// to an address once: a repeated record makes nothing new.
/// </summary>
public sealed partial class ReportDueConsumer(
    [FromKeyedServices(ReportDueConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    OutboxSignal outbox,
    IOptions<ReportOptions> options,
    EmailContentSignatures contentSignatures,
    CampaignMetrics metrics,
    TimeProvider clock,
    ILogger<ReportDueConsumer> logger) : BatchConsumer(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "reports";
    public const string ConsumerGroup = "taskapi-reports";

    private const string InsertSql = """
        INSERT INTO email_messages (report_date, email, content, status, attempts, dispatch, created_at, opens, clicks)
        SELECT @date, unnest(@emails), @content::jsonb, 'pending', 0, 1, @now, 0, 0
        ON CONFLICT (report_date, email) WHERE report_date IS NOT NULL DO NOTHING
        RETURNING id, email
        """;

    protected override string Topic => KafkaTopics.ReportsDue;

    protected override int MaxBatchSize => 10;

    protected override string DeadLetterTopic => KafkaTopics.ReportsDueDeadLetter;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.ReportsDueDeadLetter);

    protected override async Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(
        IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedRecord>();
        foreach (var record in batch)
        {
            using var activity = KafkaTracing.StartProcess(record);
            if (Read(record.Message.Value) is not { } date)
            {
                rejected.Add(new RejectedRecord(record, $"The value is not a ReportDue {{date: yyyy-MM-dd}} of a day {AcceptedTimes.Range}."));
                continue;
            }
            await SendAsync(date, cancellationToken);
        }
        return rejected;
    }

    private async Task SendAsync(LocalDate date, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var report = await DailyReport.BuildAsync(db, date, DateTimeZoneProviders.Tzdb[settings.TimeZone], cancellationToken);
        // Signed, so TaskWorker knows TaskApi made it: it sends no finished content of anyone else's.
        var content = contentSignatures.Sign(ReportEmail.Of(report, settings));
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var made = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var emails = new List<(long Id, string Email)>();
            await using (var command = new NpgsqlCommand(InsertSql, connection)
            {
                Parameters =
                {
                    new("date", date.ToDateOnly()), new("emails", settings.Recipients.Distinct(StringComparer.OrdinalIgnoreCase).ToArray()),
                    new("content", JsonSerializer.Serialize(content, MessageJson.Options)), new("now", now),
                },
            })
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    emails.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }
            db.OutboxMessages.AddRange(emails.Select(email => CampaignRecords.Send(
                new EmailSendItem(email.Id, CampaignId: null, Dispatch: 1, new EmailPerson(email.Email, null), Content: content), null, null, now)));
            // The next day's report, when it is still ahead; one already due (a late report) is ReportScheduler's to send.
            if (ReportRecords.DueAt(date.PlusDays(1), settings) > now)
            {
                db.OutboxMessages.Add(ReportRecords.Due(date.PlusDays(1), settings, now));
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return emails.Count;
        });
        outbox.Notify();
        metrics.Created(made);
        LogSent(ReportRecords.Format(date), made);
    }

    private static LocalDate? Read(byte[]? value)
    {
        try
        {
            return value is null ? null : GetDailyReportRequest.Parse(MessageJson.Deserialize<ReportDue>(value).Date);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(LogLevel.Information, "Daily report of {Date}: {Emails} emails made")]
    private partial void LogSent(string date, int emails);
}
