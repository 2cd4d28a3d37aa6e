using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;

namespace TaskWorker.Work;

/// <summary>
/// Handles one tasks.work record: runs the task it describes, or, when it cannot be read, moves it to
/// tasks.work.dlq with the reason, so nothing is dropped silently and the partition behind it keeps moving.
/// </summary>
internal sealed class WorkItemHandler(
    EmulatedTaskRunner runner,
    IProducer<byte[]?, byte[]> producer,
    WorkerMetrics metrics,
    ILogger<WorkItemHandler> logger)
{
    /// <summary>
    /// True when the record is done with, so its offset may be committed; false when it was abandoned at shutdown
    /// or failed, so it stays uncommitted and is redelivered.
    /// </summary>
    public async Task<bool> HandleAsync(ConsumeResult<byte[]?, byte[]> record, CancellationToken cancellationToken)
    {
        // The consumer span covers the whole run and the status events' producer spans are its children, so the
        // trace continues from the traceparent the record carries (the outbox relay's).
        using var activity = KafkaTracing.StartProcess(record);
        try
        {
            if (TryRead(record.Message, out var item, out var rejection))
            {
                activity?.SetTag("tasks.task_id", item.TaskId.ToString());
                await runner.RunAsync(item, cancellationToken);
            }
            else
            {
                await DeadLetterAsync(record, rejection, cancellationToken);
            }
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "Abandoned at shutdown");
            logger.RecordAbandoned(Position(record));
            return false;
        }
        catch (Exception e)
        {
            // Nothing awaits a run, so this is the last place its failure can be seen.
            activity?.AddException(e);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            logger.RecordFailed(e, Position(record));
            return false;
        }
    }

    private async Task DeadLetterAsync(ConsumeResult<byte[]?, byte[]> record, string reason, CancellationToken cancellationToken)
    {
        await KafkaDelivery.UntilDeliveredAsync(
            token => producer.DeadLetterAsync(KafkaTopics.TaskWorkDeadLetter, record, reason, token),
            KafkaTopics.TaskWorkDeadLetter, logger, cancellationToken);
        logger.RecordDeadLettered(Position(record), reason);
        metrics.DeadLettered();
    }

    /// <summary>"topic/partition/offset", as the dead-letter source header writes it.</summary>
    private static string Position(ConsumeResult<byte[]?, byte[]> record) =>
        $"{record.Topic}/{record.Partition.Value}/{record.Offset.Value}";

    private static bool TryRead(
        Message<byte[]?, byte[]> message,
        [NotNullWhen(true)] out TaskWorkItem? item,
        [NotNullWhen(false)] out string? rejection)
    {
        item = null;
        if (message.Key is null or [])
        {
            rejection = "The record has no key; work items are keyed by their task id.";
            return false;
        }
        if (message.Value is null or [])
        {
            rejection = "The record's value is empty.";
            return false;
        }

        try
        {
            item = MessageJson.Deserialize<TaskWorkItem>(message.Value);
        }
        catch (JsonException e)
        {
            rejection = $"The value is not a TaskWorkItem: {e.Message}";
            return false;
        }

        rejection = item switch
        {
            { TaskId: var id } when id == Guid.Empty => "The work item has no taskId.",
            { Name: null or "" } => "The work item has no name.",
            { Attempt: < 1 } => "The work item's attempt must be 1 or more.",
            _ => null,
        };
        return rejection is null;
    }
}
