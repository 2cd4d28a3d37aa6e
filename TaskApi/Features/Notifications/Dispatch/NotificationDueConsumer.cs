using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Notifications.Dispatch;

/// <summary>
/// Consumes <c>notifications.due</c> (released by the Scheduler at a notification's send time, the end of a user's quiet
/// hours, a burst's later second or a retry's time): under the notification's row lock, dispatches its pending deliveries
/// due by the record's time that are not dispatched yet (<see cref="NotificationDispatch"/>), each record in a transaction
/// of its own. A cancelled or done notification dispatches nothing, and neither does a replayed record (what it was for
/// is dispatched); records that cannot be read are dead-lettered with the reason.
/// </summary>
public sealed class NotificationDueConsumer(
    [FromKeyedServices(NotificationDueConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    NotificationDispatch dispatch,
    OutboxSignal outbox,
    NotificationMetrics metrics,
    TimeProvider clock,
    ILogger<NotificationDueConsumer> logger) : DueBatchConsumer<NotificationDue>(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "notifications-due";
    public const string ConsumerGroup = "taskapi-notifications-due";

    protected override string Topic => KafkaTopics.NotificationsDue;

    protected override string DeadLetterTopic => KafkaTopics.NotificationsDueDeadLetter;

    // A due record may dispatch a whole notification's deliveries in its transaction.
    protected override int MaxBatchSize => 10;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.NotificationsDueDeadLetter);

    protected override string Expected => "The value is not a NotificationDue {notificationId: >0, dueAt}.";

    protected override string IdTag => "notification.id";

    protected override long IdOf(NotificationDue due) => due.NotificationId;

    protected override NotificationDue? Validated(NotificationDue due) =>
        due.NotificationId > 0 ? due with { DueAt = due.DueAt.TruncateToMicroseconds() } : null;

    protected override async Task HandleAsync(NotificationDue due, string? traceParent, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var notification = await db.Notifications.FromSql($"SELECT * FROM notifications WHERE id = {due.NotificationId} FOR UPDATE")
                .AsNoTracking().SingleOrDefaultAsync(cancellationToken);
            if (notification is not { Status: NotificationStatus.Scheduled or NotificationStatus.Sending })
            {
                return null;
            }
            var outcome = await dispatch.DispatchAsync(db, notification, due.DueAt, traceParent, clock.GetUtcNow().TruncateToMicroseconds(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return outcome;
        });

        if (outcome is null)
        {
            return;
        }
        outbox.Notify();
        metrics.Dispatched(outcome);
        DispatchLog.Dispatched(logger, outcome);
    }
}
