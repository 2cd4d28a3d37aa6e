namespace TaskWorker.Sms;

/// <summary>The SMS sending's log messages beside the per-message outcome line, source-generated.</summary>
internal static partial class SmsLog
{
    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Redis failed while {What}; retrying in {RetryDelay}")]
    public static partial void RedisFailed(this ILogger logger, Exception exception, string what, TimeSpan retryDelay);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Mailing changes read to the end of all {Partitions} partitions; SMS sending may start")]
    public static partial void MailingChangesCaughtUp(this ILogger logger, int partitions);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Mailing change {Position} skipped: {Reason}")]
    public static partial void MailingChangeUnreadable(this ILogger logger, string position, string reason);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "Topic {Topic} has no partitions yet ({Reason}); SMS sending waits for it")]
    public static partial void MailingChangesTopicMissing(this ILogger logger, string topic, string reason);
}
