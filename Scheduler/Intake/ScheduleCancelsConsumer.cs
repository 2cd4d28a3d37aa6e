using Confluent.Kafka;
using Scheduler.Storage;
using Tasks.Shared;

namespace Scheduler.Intake;

/// <summary>
/// Applies each <see cref="ScheduleCancel"/> of <c>scheduler.cancels</c>: the entry is dropped, and the id is remembered
/// as cancelled, so its request is ignored if it arrives later (the two topics are not ordered with each other).
/// </summary>
public sealed partial class ScheduleCancelsConsumer(
    [FromKeyedServices(ScheduleCancelsConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    ScheduleStore store,
    DeadLetterProducer deadLetters,
    SchedulerMetrics metrics,
    ILogger<ScheduleCancelsConsumer> logger) : ScheduleMessageConsumer<ScheduleCancel>(consumer, deadLetters, metrics, logger)
{
    public const string ConsumerKey = "scheduler-cancels";
    public const string ConsumerGroup = "scheduler-cancels";

    protected override string Topic => KafkaTopics.SchedulerCancels;

    protected override ReadResult<ScheduleCancel> Read(byte[]? value) => ScheduleMessageReader.ReadCancel(value);

    protected override async Task HandleAsync(ScheduleCancel cancel) =>
        LogCancelled(cancel.ScheduleId, await store.CancelAsync(cancel.ScheduleId));

    [LoggerMessage(LogLevel.Information, "Schedule {ScheduleId} cancel applied: {Outcome}")]
    private partial void LogCancelled(string scheduleId, CancelOutcome outcome);
}
