using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;
using TaskWorker.Messaging;

namespace TaskWorker.Work;

/// <summary>Handles one tasks.work record: runs the task it describes, or, when it cannot be read, dead-letters it to tasks.work.dlq.</summary>
internal sealed class WorkItemHandler(EmulatedTaskRunner runner, DeadLetters deadLetters) : IRecordHandler
{
    public async Task HandleAsync(ConsumeResult<byte[]?, byte[]> record, CancellationToken cancellationToken)
    {
        if (TryRead(record.Message, out var item, out var rejection))
        {
            Activity.Current?.SetTag("tasks.task_id", item.TaskId.ToString());
            await runner.RunAsync(item, cancellationToken);
        }
        else
        {
            await deadLetters.PublishAsync(KafkaTopics.TaskWorkDeadLetter, record, rejection, cancellationToken);
        }
    }

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
