using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Schedules.Firing;

/// <summary>
/// Consumes <c>schedules.due</c> (released by the Scheduler at an occurrence's time): in one transaction it locks the
/// schedule's row, ignores a stale record (the schedule was changed, paused or deleted since, or has moved past this
/// occurrence), creates the occurrence's task and requests the next occurrence (<see cref="ScheduleFiring"/>). The row
/// lock and the task's idempotency key make a record delivered twice, or handled by two replicas at once, one task.
/// </summary>
public sealed class ScheduleDueConsumer(
    [FromKeyedServices(ScheduleDueConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    OutboxSignal outbox,
    ScheduleFiring firing,
    ScheduleMetrics metrics,
    TimeProvider clock,
    ILogger<ScheduleDueConsumer> logger) : DueBatchConsumer<ScheduleDue>(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "schedules";
    public const string ConsumerGroup = "taskapi-schedules";

    protected override string Topic => KafkaTopics.SchedulesDue;

    protected override string DeadLetterTopic => KafkaTopics.SchedulesDueDeadLetter;

    protected override int MaxBatchSize => 100;

    // Many schedules may share an occurrence's second (every weekday at 09:00): each occurrence is a short transaction
    // of its own, most of it waiting for the commit, so several at once let PostgreSQL flush their commits together.
    protected override int MaxConcurrency => 16;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.SchedulesDueDeadLetter);

    protected override string Expected => "The value is not a ScheduleDue {scheduleId, version, occurrence}.";

    protected override string IdTag => "schedule.id";

    protected override long IdOf(ScheduleDue due) => due.ScheduleId;

    protected override ScheduleDue? Validated(ScheduleDue due) => due.ScheduleId > 0 ? due : null;

    protected override async Task HandleAsync(ScheduleDue due, string? traceParent, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var reports = new List<OccurrenceReport>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            reports.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var schedule = await db.LockedSchedule(due.ScheduleId).SingleOrDefaultAsync(cancellationToken);
            if (schedule is null || schedule.Paused || schedule.Version != due.Version || schedule.NextOccurrence != due.Occurrence)
            {
                reports.Add(new OccurrenceReport(due.ScheduleId, due.Occurrence, OccurrenceOutcome.Stale));
                return;
            }
            await firing.FireAsync(db, schedule, due.Occurrence, traceParent, clock.GetUtcNow().TruncateToMicroseconds(), reports, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        outbox.Notify();
        firing.Report(reports);
    }
}
