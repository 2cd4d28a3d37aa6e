using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Mailings.Planning;

/// <summary>
/// Consumes <c>mailings.due</c> (released by the Scheduler at a mailing's start and end times, or written straight by
/// TaskApi when the start has come): starts or ends the mailing, each in a transaction of its own. Both are idempotent,
/// so redelivery is safe; records that cannot be read are dead-lettered with the reason.
/// </summary>
public sealed partial class MailingDueConsumer(
    [FromKeyedServices(MailingDueConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    OutboxSignal outbox,
    MailingMetrics metrics,
    TimeProvider clock,
    ILogger<MailingDueConsumer> logger) : DueBatchConsumer<MailingDue>(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "mailings";
    public const string ConsumerGroup = "taskapi-mailings";

    protected override string Topic => KafkaTopics.MailingsDue;

    // A start makes up to every client's message in one transaction: one at a time is plenty.
    protected override int MaxBatchSize => 10;

    protected override string DeadLetterTopic => KafkaTopics.MailingsDueDeadLetter;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.MailingsDueDeadLetter);

    protected override string Expected => "The value is not a MailingDue {mailingId, moment: start|end, timesVersion}.";

    protected override string IdTag => "mailing.id";

    protected override long IdOf(MailingDue due) => due.MailingId;

    protected override MailingDue? Validated(MailingDue due) => due is { MailingId: > 0, TimesVersion: > 0 } && Enum.IsDefined(due.Moment) ? due : null;

    protected override async Task HandleAsync(MailingDue due, string? traceParent, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var now = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        var result = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var count = due.Moment == MailingMoment.Start
                ? await scope.ServiceProvider.GetRequiredService<MailingStart>().StartAsync(due.MailingId, due.TimesVersion, now, cancellationToken)
                : await scope.ServiceProvider.GetRequiredService<MailingEnd>().EndAsync(due.MailingId, due.TimesVersion, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return count;
        });

        if (result is not { } messages)
        {
            LogIgnored(due.MailingId, due.Moment, due.TimesVersion);
        }
        else if (due.Moment == MailingMoment.Start)
        {
            outbox.Notify();
            LogStarted(due.MailingId, messages, clock.GetElapsedTime(started).TotalMilliseconds);
        }
        else
        {
            LogEnded(due.MailingId, messages);
        }
    }

    [LoggerMessage(LogLevel.Information, "Mailing {MailingId} started with {Messages} messages in {ElapsedMs:0} ms")]
    private partial void LogStarted(long mailingId, int messages, double elapsedMs);

    [LoggerMessage(LogLevel.Information, "Mailing {MailingId} ended; {Expired} unsent messages expired")]
    private partial void LogEnded(long mailingId, int expired);

    [LoggerMessage(LogLevel.Debug, "Mailing {MailingId}: {Moment} of times version {TimesVersion} no longer applies")]
    private partial void LogIgnored(long mailingId, MailingMoment moment, int timesVersion);
}
