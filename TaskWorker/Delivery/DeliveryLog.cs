namespace TaskWorker.Delivery;

/// <summary>The log messages of what the SMS and email sending share (Redis, the changes topics), source-generated.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Redis failed while {What}; retrying in {RetryDelay}")]
    public static partial void RedisFailed(this ILogger logger, Exception exception, string what, TimeSpan retryDelay);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "{Topic} read to the end of all {Partitions} partitions; sending may start")]
    public static partial void ChangesCaughtUp(this ILogger logger, string topic, int partitions);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Change {Position} skipped: {Reason}")]
    public static partial void ChangeUnreadable(this ILogger logger, string position, string reason);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "Topic {Topic} has no partitions yet ({Reason}); sending waits for it")]
    public static partial void ChangesTopicMissing(this ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 25, Level = LogLevel.Debug, Message = "{LeaseKey} is held by another attempt; waiting for its outcome")]
    public static partial void WaitingForSendLease(this ILogger logger, string leaseKey);

    [LoggerMessage(EventId = 26, Level = LogLevel.Warning, Message = "{LeaseKey} expired while its call was under way (Redis was unreachable); another attempt may call too")]
    public static partial void SendLeaseLost(this ILogger logger, string leaseKey);

    [LoggerMessage(EventId = 27, Level = LogLevel.Warning, Message = "{LeaseKey} could not be released; it expires by itself")]
    public static partial void SendLeaseNotReleased(this ILogger logger, Exception exception, string leaseKey);
}
