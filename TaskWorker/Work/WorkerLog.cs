using Confluent.Kafka;
using Tasks.Shared;

namespace TaskWorker.Work;

/// <summary>The worker's log messages, source-generated; task ids are structured properties.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Task {TaskId} ({TaskName}) is in progress, running for {Duration}")]
    public static partial void TaskInProgress(this ILogger logger, Guid taskId, string taskName, TimeSpan duration);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Task {TaskId} finished with status {Status}")]
    public static partial void TaskFinished(this ILogger logger, Guid taskId, TaskRunStatus status);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Work record {Position} dead-lettered: {Reason}")]
    public static partial void RecordDeadLettered(this ILogger logger, string position, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Work record {Position} abandoned at shutdown; it stays uncommitted and will be redelivered")]
    public static partial void RecordAbandoned(this ILogger logger, string position);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Work record {Position} failed; it stays uncommitted and will be redelivered after the next rebalance")]
    public static partial void RecordFailed(this ILogger logger, Exception exception, string position);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Producing to {Topic} failed ({ErrorCode}); retrying in {RetryDelay}")]
    public static partial void ProduceFailed(this ILogger logger, Exception exception, string topic, ErrorCode errorCode, TimeSpan retryDelay);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Partitions of {Topic} assigned: {Partitions}")]
    public static partial void PartitionsAssigned(this ILogger logger, string topic, string partitions);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Partitions of {Topic} revoked: {Partitions}")]
    public static partial void PartitionsRevoked(this ILogger logger, string topic, string partitions);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Partitions of {Topic} lost: {Partitions}; their unfinished offsets are not committed")]
    public static partial void PartitionsLost(this ILogger logger, string topic, string partitions);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Consuming failed ({ErrorCode}): {Reason}")]
    public static partial void ConsumeFailed(this ILogger logger, ErrorCode errorCode, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Storing offset {Offset} of {Topic} partition {Partition} failed")]
    public static partial void StoreOffsetFailed(this ILogger logger, Exception exception, string topic, int partition, long offset);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Stopping: waiting up to {Grace} for {Count} runs to finish")]
    public static partial void WaitingForRuns(this ILogger logger, int count, TimeSpan grace);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Stopping: abandoning {Count} unfinished runs")]
    public static partial void AbandoningRuns(this ILogger logger, int count);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Closing the consumer failed")]
    public static partial void CloseFailed(this ILogger logger, Exception exception);


}
