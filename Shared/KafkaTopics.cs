namespace Tasks.Shared;

/// <summary>The Kafka topics the services share. Keys are entity ids, so one entity's messages stay ordered.</summary>
public static class KafkaTopics
{
    /// <summary>Task submissions from any producer: JSON <c>{"name": ..., "payload": ...}</c>; the message key is the idempotency key.</summary>
    public const string TaskRequests = "tasks.requests";

    /// <summary>Submissions TaskApi rejected, with the original key, value and headers and the reason in headers.</summary>
    public const string TaskRequestsDeadLetter = "tasks.requests.dlq";

    /// <summary>Tasks to run (<see cref="TaskWorkItem"/>), published by TaskApi's outbox relay.</summary>
    public const string TaskWork = "tasks.work";

    /// <summary>Work items a worker could not read, with the original bytes and the reason in headers.</summary>
    public const string TaskWorkDeadLetter = "tasks.work.dlq";

    /// <summary>Status changes reported by workers (<see cref="TaskStatusChanged"/>).</summary>
    public const string TaskStatus = "tasks.status";

    /// <summary>Status events TaskApi could not read.</summary>
    public const string TaskStatusDeadLetter = "tasks.status.dlq";

    /// <summary>Records to deliver later (<see cref="ScheduleRequest"/>), keyed by schedule id.</summary>
    public const string SchedulerRequests = "scheduler.requests";

    /// <summary>Schedules to drop before they are due (<see cref="ScheduleCancel"/>), keyed by schedule id.</summary>
    public const string SchedulerCancels = "scheduler.cancels";

    /// <summary>Scheduler messages it could not read.</summary>
    public const string SchedulerDeadLetter = "scheduler.dlq";

    /// <summary>SMS to hand to the sending API (<see cref="SmsSendItem"/>), keyed by message id; from TaskApi's outbox or the Scheduler.</summary>
    public const string MessagesSend = "messages.send";

    /// <summary>Send records a worker could not read.</summary>
    public const string MessagesSendDeadLetter = "messages.send.dlq";

    /// <summary>What became of each send record (<see cref="SmsOutcomeReported"/>), keyed by message id.</summary>
    public const string MessagesStatus = "messages.status";

    /// <summary>Outcome reports TaskApi could not read.</summary>
    public const string MessagesStatusDeadLetter = "messages.status.dlq";

    /// <summary>Mailings whose start or end time came (<see cref="MailingDue"/>), released by the Scheduler.</summary>
    public const string MailingsDue = "mailings.due";

    /// <summary>Due records TaskApi could not read.</summary>
    public const string MailingsDueDeadLetter = "mailings.due.dlq";

    /// <summary>Each mailing's latest end time and cancellation (<see cref="MailingChanged"/>), read in full by every worker.</summary>
    public const string MailingsChanges = "mailings.changes";

    /// <summary>Emails to hand to the SMTP server (<see cref="EmailSendItem"/>), keyed by message id; from TaskApi's outbox or the Scheduler.</summary>
    public const string EmailsSend = "emails.send";

    /// <summary>Email send records a worker could not read.</summary>
    public const string EmailsSendDeadLetter = "emails.send.dlq";

    /// <summary>What became of each email send record (<see cref="EmailOutcomeReported"/>), keyed by message id.</summary>
    public const string EmailsStatus = "emails.status";

    /// <summary>Email outcome reports TaskApi could not read.</summary>
    public const string EmailsStatusDeadLetter = "emails.status.dlq";

    /// <summary>Deferred campaigns whose send time came (<see cref="CampaignDue"/>), released by the Scheduler.</summary>
    public const string CampaignsDue = "campaigns.due";

    /// <summary>Campaign due records TaskApi could not read.</summary>
    public const string CampaignsDueDeadLetter = "campaigns.due.dlq";

    /// <summary>Each campaign's content as sent and its cancellation (<see cref="CampaignChanged"/>), read in full by every worker.</summary>
    public const string CampaignsChanges = "campaigns.changes";

    /// <summary>Daily report times (<see cref="ReportDue"/>), released by the Scheduler.</summary>
    public const string ReportsDue = "reports.due";

    /// <summary>Report due records TaskApi could not read.</summary>
    public const string ReportsDueDeadLetter = "reports.due.dlq";

    /// <summary>Occurrences of recurring schedules (<see cref="ScheduleDue"/>), released by the Scheduler at their time.</summary>
    public const string SchedulesDue = "schedules.due";

    /// <summary>Schedule due records TaskApi could not read.</summary>
    public const string SchedulesDueDeadLetter = "schedules.due.dlq";

    /// <summary>Notification deliveries to hand over by email or SMS (<see cref="NotificationSendItem"/>), keyed by delivery id; from TaskApi's outbox.</summary>
    public const string NotificationsSend = "notifications.send";

    /// <summary>Notification send records a worker could not read.</summary>
    public const string NotificationsSendDeadLetter = "notifications.send.dlq";

    /// <summary>Express notification deliveries: as <see cref="NotificationsSend"/>, with consumers, in-flight budget and connections of their own.</summary>
    public const string NotificationsExpress = "notifications.express";

    /// <summary>Express send records a worker could not read.</summary>
    public const string NotificationsExpressDeadLetter = "notifications.express.dlq";

    /// <summary>What became of each notification send record (<see cref="NotificationOutcomeReported"/>), keyed by delivery id.</summary>
    public const string NotificationsStatus = "notifications.status";

    /// <summary>Notification outcome reports TaskApi could not read.</summary>
    public const string NotificationsStatusDeadLetter = "notifications.status.dlq";

    /// <summary>Notifications some of whose deliveries came due (<see cref="NotificationDue"/>), released by the Scheduler.</summary>
    public const string NotificationsDue = "notifications.due";

    /// <summary>Notification due records TaskApi could not read.</summary>
    public const string NotificationsDueDeadLetter = "notifications.due.dlq";

    /// <summary>Each notification's content and cancellation (<see cref="NotificationChanged"/>), read in full by every worker.</summary>
    public const string NotificationsChanges = "notifications.changes";

    /// <summary>
    /// The topics TaskApi has the Scheduler deliver records to later (<see cref="ScheduleRequest.Topic"/>): the Scheduler's
    /// default allowlist. It releases to no other topic, so a writer of <see cref="SchedulerRequests"/> cannot use it to
    /// publish where it may not write itself.
    /// </summary>
    public static readonly IReadOnlyList<string> Scheduled = [TaskWork, MessagesSend, MailingsDue, EmailsSend, CampaignsDue, ReportsDue, SchedulesDue, NotificationsDue];

    /// <summary>
    /// Every dead-letter topic above: TaskApi keeps what reaches them in PostgreSQL (its dead letters' consumer subscribes
    /// to each), for operators to read, replay or discard.
    /// </summary>
    public static readonly IReadOnlyList<string> DeadLetterTopics =
        [TaskRequestsDeadLetter, TaskWorkDeadLetter, TaskStatusDeadLetter, SchedulerDeadLetter, MessagesSendDeadLetter, MessagesStatusDeadLetter,
         MailingsDueDeadLetter, EmailsSendDeadLetter, EmailsStatusDeadLetter, CampaignsDueDeadLetter, ReportsDueDeadLetter, SchedulesDueDeadLetter,
         NotificationsSendDeadLetter, NotificationsExpressDeadLetter, NotificationsStatusDeadLetter, NotificationsDueDeadLetter];

    /// <summary>Kafka's rule for topic names: 1 to 249 of a-z A-Z 0-9 . _ -, and not "." or "..".</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: >= 1 and <= 249 } and not "." and not ".." && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Every topic above, for creating them up front (the embedded broker cannot create topics through the admin API).</summary>
    public static readonly IReadOnlyList<string> All =
        [TaskRequests, TaskRequestsDeadLetter, TaskWork, TaskWorkDeadLetter, TaskStatus, TaskStatusDeadLetter,
         SchedulerRequests, SchedulerCancels, SchedulerDeadLetter,
         MessagesSend, MessagesSendDeadLetter, MessagesStatus, MessagesStatusDeadLetter, MailingsDue, MailingsDueDeadLetter, MailingsChanges,
         EmailsSend, EmailsSendDeadLetter, EmailsStatus, EmailsStatusDeadLetter, CampaignsDue, CampaignsDueDeadLetter, CampaignsChanges,
         ReportsDue, ReportsDueDeadLetter, SchedulesDue, SchedulesDueDeadLetter,
         NotificationsSend, NotificationsSendDeadLetter, NotificationsExpress, NotificationsExpressDeadLetter,
         NotificationsStatus, NotificationsStatusDeadLetter, NotificationsDue, NotificationsDueDeadLetter, NotificationsChanges];
}

/// <summary>Header names on dead-letter records (written by <c>DeadLetterExtensions.DeadLetterOf</c>).</summary>
public static class DeadLetterHeaders
{
    /// <summary>Why the record was rejected, in words (UTF-8).</summary>
    public const string Reason = Microsoft.Extensions.Hosting.DeadLetterExtensions.ReasonHeader;

    /// <summary>Where it came from: "topic/partition/offset".</summary>
    public const string Source = Microsoft.Extensions.Hosting.DeadLetterExtensions.SourceHeader;

    /// <summary>"true" on a truncated copy: the original (of <see cref="OriginalSize"/> bytes) did not fit the producer's limit.</summary>
    public const string Truncated = Microsoft.Extensions.Hosting.DeadLetterExtensions.TruncatedHeader;

    /// <summary>On a truncated copy, the original record's key, value and headers in bytes.</summary>
    public const string OriginalSize = Microsoft.Extensions.Hosting.DeadLetterExtensions.OriginalSizeHeader;
}

/// <summary>The Aspire connection and resource names the services and the AppHost agree on.</summary>
public static class ResourceNames
{
    public const string Kafka = "kafka";
    public const string TasksDatabase = "tasksdb";
    public const string Redis = "redis";
    public const string Identity = "identity";
    public const string IdentityDatabase = "identitydb";
    public const string Console = "console";
}
