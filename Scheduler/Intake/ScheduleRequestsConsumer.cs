using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Scheduler.Storage;
using Tasks.Shared;

namespace Scheduler.Intake;

/// <summary>
/// Stores each <see cref="ScheduleRequest"/> of <c>scheduler.requests</c> in Redis before its offset is stored. The
/// first request for an id wins; a request for an id that was cancelled or released is ignored; a request to a topic
/// the Scheduler does not release to (<see cref="SchedulerOptions.ReleaseTopics"/>) is dead-lettered.
/// </summary>
public sealed partial class ScheduleRequestsConsumer(
    [FromKeyedServices(ScheduleRequestsConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    ScheduleStore store,
    IOptions<SchedulerOptions> options,
    DeadLetterProducer deadLetters,
    SchedulerMetrics metrics,
    ILogger<ScheduleRequestsConsumer> logger) : ScheduleMessageConsumer<ScheduleRequest>(consumer, deadLetters, metrics, logger)
{
    public const string ConsumerKey = "scheduler-requests";
    public const string ConsumerGroup = "scheduler-requests";

    protected override string Topic => KafkaTopics.SchedulerRequests;

    protected override ReadResult<ScheduleRequest> Read(byte[]? value) => ScheduleMessageReader.ReadRequest(value, options.Value.AllowedTopics);

    protected override async Task HandleAsync(ScheduleRequest request)
    {
        var outcome = await store.ScheduleAsync(request);
        if (outcome == ScheduleOutcome.Stored)
        {
            LogStored(request.ScheduleId, request.DueAt, request.Topic);
        }
        else
        {
            LogIgnored(request.ScheduleId, outcome);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Schedule {ScheduleId} stored: due {DueAt:O} to {Topic}")]
    private partial void LogStored(string scheduleId, DateTimeOffset dueAt, string topic);

    [LoggerMessage(LogLevel.Information, "Schedule {ScheduleId} request ignored: {Outcome}")]
    private partial void LogIgnored(string scheduleId, ScheduleOutcome outcome);
}
