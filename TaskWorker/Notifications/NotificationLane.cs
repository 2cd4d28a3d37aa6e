using Tasks.Shared;
using TaskWorker.Email;
using TaskWorker.Sms;

namespace TaskWorker.Notifications;

/// <summary>
/// One of the two notification topics and what it sends with: the ordinary lane shares the SMS turns and SMTP sessions
/// of mailings and campaigns; the express lane has its own of both, and first claim on the providers' rate limits.
/// </summary>
internal sealed record NotificationLane(bool Express, SmsCalls Sms, SmtpConnectionPool Smtp)
{
    /// <summary>
    /// The ordinary lane's key: of its consumer's settings (<c>Aspire:Confluent:Kafka:Consumer:taskworker-notifications</c>),
    /// its consumer group and its handler.
    /// </summary>
    public const string OrdinaryKey = "taskworker-notifications";

    /// <summary>The express lane's key: as <see cref="OrdinaryKey"/>, and of its own SMS calls and SMTP pool.</summary>
    public const string ExpressKey = "taskworker-notifications-express";

    public string Key => KeyOf(Express);

    public string Topic => Express ? KafkaTopics.NotificationsExpress : KafkaTopics.NotificationsSend;

    public string DeadLetterTopic => Express ? KafkaTopics.NotificationsExpressDeadLetter : KafkaTopics.NotificationsSendDeadLetter;

    public static string KeyOf(bool express) => express ? ExpressKey : OrdinaryKey;
}
