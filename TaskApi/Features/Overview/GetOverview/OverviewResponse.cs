namespace TaskApi.Features.Overview.GetOverview;

/// <summary>What the system is doing now: counts by status, the last hour's throughput, the mailings and campaigns under way.</summary>
/// <param name="At">What it says is as of this time: the counts of tasks and notification deliveries by status are read at most once per 2 s on each TaskApi instance and shared meanwhile, so this can be up to 2 s before the answer; everything else is read for the answer.</param>
/// <param name="Tasks">Tasks by status: new, in_progress, success, error, cancelled (every status present, 0 included).</param>
/// <param name="SmsMessages">The mailings' SMS messages by status: pending, sent, failed, expired, cancelled.</param>
/// <param name="Emails">Emails (campaigns' and daily reports') by status: pending, sent, failed, cancelled.</param>
/// <param name="NotificationDeliveries">Notification deliveries by status: pending, sent, failed, skipped, cancelled.</param>
/// <param name="Throughput">The last 60 minutes, one point a minute, oldest first; the last is the current minute so far.</param>
/// <param name="RunningMailings">Mailings running now, newest first, at most 50.</param>
/// <param name="RunningCampaigns">Campaigns sending now, newest first, at most 50.</param>
/// <param name="DeadLettersWaiting">Dead letters neither replayed nor discarded yet (<c>GET /dead-letters?state=waiting</c> lists them).</param>
public sealed record OverviewResponse(
    DateTimeOffset At,
    IReadOnlyDictionary<string, long> Tasks,
    IReadOnlyDictionary<string, long> SmsMessages,
    IReadOnlyDictionary<string, long> Emails,
    IReadOnlyDictionary<string, long> NotificationDeliveries,
    IReadOnlyList<ThroughputPoint> Throughput,
    IReadOnlyList<RunningMailing> RunningMailings,
    IReadOnlyList<RunningCampaign> RunningCampaigns,
    long DeadLettersWaiting);

/// <summary>What finished in one minute.</summary>
/// <param name="At">The minute's start (UTC).</param>
/// <param name="Tasks">Tasks that reached success, error or cancelled.</param>
/// <param name="SmsMessages">SMS messages that became sent, failed, expired or cancelled.</param>
/// <param name="Emails">Emails that became sent, failed or cancelled.</param>
/// <param name="NotificationDeliveries">Notification deliveries sent (a failed or cancelled delivery records no time, so it is not counted here).</param>
public sealed record ThroughputPoint(DateTimeOffset At, int Tasks, int SmsMessages, int Emails, int NotificationDeliveries);

/// <summary>A running mailing's progress: (sent + failed) of total are done.</summary>
/// <param name="Id">The mailing.</param>
/// <param name="Text">The first 60 characters of its text.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndAt">When whatever is unsent expires.</param>
/// <param name="Total">Its messages in all.</param>
/// <param name="Sent">Sent.</param>
/// <param name="Failed">Failed for good.</param>
/// <param name="Pending">Still to go.</param>
public sealed record RunningMailing(long Id, string Text, DateTimeOffset? StartedAt, DateTimeOffset EndAt, int Total, int Sent, int Failed, int Pending);

/// <summary>A sending campaign's progress: (sent + failed) of total are done.</summary>
/// <param name="Id">The campaign.</param>
/// <param name="Name">Its name.</param>
/// <param name="StartedAt">When sending began.</param>
/// <param name="Total">Its emails in all.</param>
/// <param name="Sent">Accepted by the SMTP server.</param>
/// <param name="Failed">Failed for good.</param>
/// <param name="Pending">Still to go.</param>
public sealed record RunningCampaign(long Id, string Name, DateTimeOffset? StartedAt, int Total, int Sent, int Failed, int Pending);
