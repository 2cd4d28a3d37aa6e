using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Campaigns.Sending;

/// <summary>
/// Consumes <c>campaigns.due</c> (released by the Scheduler at a deferred campaign's time, or written straight by
/// TaskApi when that time has come): begins sending the campaign, in a transaction of its own. Idempotent, so
/// redelivery is safe; records that cannot be read are dead-lettered with the reason.
/// </summary>
public sealed partial class CampaignDueConsumer(
    [FromKeyedServices(CampaignDueConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    OutboxSignal outbox,
    CampaignMetrics metrics,
    TimeProvider clock,
    ILogger<CampaignDueConsumer> logger) : DueBatchConsumer<CampaignDue>(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "campaigns";
    public const string ConsumerGroup = "taskapi-campaigns";

    protected override string Topic => KafkaTopics.CampaignsDue;

    // A start makes up to every subscriber's email in one transaction: a few at a time is plenty.
    protected override int MaxBatchSize => 10;

    protected override string DeadLetterTopic => KafkaTopics.CampaignsDueDeadLetter;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.CampaignsDueDeadLetter);

    protected override string Expected => "The value is not a CampaignDue {campaignId}.";

    protected override string IdTag => "campaign.id";

    protected override long IdOf(CampaignDue due) => due.CampaignId;

    protected override CampaignDue? Validated(CampaignDue due) => due.CampaignId > 0 ? due : null;

    protected override Task HandleAsync(CampaignDue due, string? traceParent, CancellationToken cancellationToken) =>
        StartAsync(due.CampaignId, cancellationToken);

    private async Task StartAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var start = scope.ServiceProvider.GetRequiredService<CampaignStart>();
        var now = clock.GetUtcNow();
        var began = clock.GetTimestamp();
        var emails = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var emails = await start.StartAsync(campaignId, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return emails;
        });
        if (emails is { } count)
        {
            outbox.Notify();
            LogStarted(campaignId, count, clock.GetElapsedTime(began).TotalMilliseconds);
        }
        else
        {
            LogIgnored(campaignId);
        }
    }

    [LoggerMessage(LogLevel.Information, "Campaign {CampaignId} sending {Emails} emails (made in {ElapsedMs:0} ms)")]
    private partial void LogStarted(long campaignId, int emails, double elapsedMs);

    [LoggerMessage(LogLevel.Debug, "Campaign {CampaignId} is no longer scheduled; its send time changes nothing")]
    private partial void LogIgnored(long campaignId);
}
