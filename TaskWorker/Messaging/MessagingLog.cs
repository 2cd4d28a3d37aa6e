using Confluent.Kafka;

namespace TaskWorker.Messaging;

/// <summary>The consume loops' and publishers' log messages, source-generated.</summary>
internal static partial class MessagingLog
{
    /// <summary>"topic/partition/offset", as the dead-letter source header writes it.</summary>
    public static string Position(this ConsumeResult<byte[]?, byte[]> record) =>
        $"{record.Topic}/{record.Partition.Value}/{record.Offset.Value}";

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Record {Position} dead-lettered: {Reason}")]
    public static partial void RecordDeadLettered(this ILogger logger, string position, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Record {Position} abandoned at shutdown; it stays uncommitted and will be redelivered")]
    public static partial void RecordAbandoned(this ILogger logger, string position);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Record {Position} failed; it goes to the dead-letter topic with the reason")]
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

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Stopping {Topic}: waiting up to {Grace} for {Count} runs to finish")]
    public static partial void WaitingForRuns(this ILogger logger, string topic, int count, TimeSpan grace);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Stopping {Topic}: abandoning {Count} unfinished runs")]
    public static partial void AbandoningRuns(this ILogger logger, string topic, int count);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Closing the consumer failed")]
    public static partial void CloseFailed(this ILogger logger, Exception exception);
}
