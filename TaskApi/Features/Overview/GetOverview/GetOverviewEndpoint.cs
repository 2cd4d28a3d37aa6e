using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Campaigns;
using TaskApi.Features.DeadLetters;
using TaskApi.Features.Mailings;
using TaskApi.Features.Notifications;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Model;

namespace TaskApi.Features.Overview.GetOverview;

/// <summary>
/// <c>GET /overview</c>: the console's first page in one answer. Every number is exact as of its <c>at</c>; what keeps
/// it fast on millions of rows: the SMS and campaign email counts are the mailings' and campaigns' kept counts (summed over
/// their rows, never the messages), tasks and notification deliveries are counted by an index-only scan of a small index on
/// status, shared by the requests of up to 2 s (<see cref="StatusCounts"/>), and the last hour's throughput is a short
/// range of partial indexes on the finish times (migration ConsoleQueries).
/// </summary>
public sealed class GetOverviewEndpoint(TasksDbContext db, StatusCounts statusCounts, TimeProvider clock) : EndpointWithoutRequest<OverviewResponse>
{
    public const int ThroughputMinutes = 60;
    public const int MaxRunning = 50;
    public const int MailingTextStart = 60;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // Series 0 tasks, 1 SMS messages, 2 emails, 3 notification deliveries (which record only a sent time).
    private const string ThroughputSql = """
        SELECT 0 AS "Series", date_bin(@step, finished_at, @from) AS "At", count(*)::int AS "Count" FROM tasks
        WHERE finished_at IS NOT NULL AND finished_at >= @from AND finished_at < @to GROUP BY 2
        UNION ALL
        SELECT 1, date_bin(@step, finished_at, @from), count(*)::int FROM sms_messages
        WHERE finished_at IS NOT NULL AND finished_at >= @from AND finished_at < @to GROUP BY 2
        UNION ALL
        SELECT 2, date_bin(@step, finished_at, @from), count(*)::int FROM email_messages
        WHERE finished_at IS NOT NULL AND finished_at >= @from AND finished_at < @to GROUP BY 2
        UNION ALL
        SELECT 3, date_bin(@step, sent_at, @from), count(*)::int FROM notification_deliveries
        WHERE sent_at IS NOT NULL AND sent_at >= @from AND sent_at < @to GROUP BY 2
        """;

    public override void Configure()
    {
        Get("/");
        Group<OverviewGroup>();
        Policies(ApiAccess.OverviewRead);
        Description(endpoint => endpoint.WithName("GetOverview"));
        Summary(summary =>
        {
            summary.Summary = "What the system is doing now";
            summary.Description = "Counts by status of tasks, SMS messages, emails and notification deliveries (exact as of `at`, at most 2 s before the answer); what finished in each " +
                $"of the last {ThroughputMinutes} minutes; the running mailings and sending campaigns with their progress (at most {MaxRunning} " +
                "each, newest first); how many dead letters wait. For operators of every role.";
        });
    }

    public override async Task<OverviewResponse> ExecuteAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The longest part, on connections of their own while the small reads below share this one.
        var counting = statusCounts.ReadAsync(ct);
        var sms = await db.Mailings.GroupBy(_ => 1).Select(g => new
        {
            Pending = g.Sum(m => (long)m.Counts.Pending),
            Sent = g.Sum(m => (long)m.Counts.Sent),
            Failed = g.Sum(m => (long)m.Counts.Failed),
            Expired = g.Sum(m => (long)m.Counts.Expired),
            Cancelled = g.Sum(m => (long)m.Counts.Cancelled),
        }).SingleOrDefaultAsync(ct);
        var campaignEmails = await db.Campaigns.GroupBy(_ => 1).Select(g => new
        {
            Pending = g.Sum(c => (long)c.Counts.Pending),
            Sent = g.Sum(c => (long)c.Counts.Sent),
            Failed = g.Sum(c => (long)c.Counts.Failed),
            Cancelled = g.Sum(c => (long)c.Counts.Cancelled),
        }).SingleOrDefaultAsync(ct);
        // The daily reports' emails belong to no campaign, so no kept count has them: few (recipients × days), counted.
        var reportEmails = await StatusCounts.CountByStatusAsync(db.EmailMessages.Where(m => m.CampaignId == null), m => m.Status, ct);

        var to = TimeSeries.Floor(now, Minute) + Minute;
        var from = to - ThroughputMinutes * Minute;
        var finished = await TimeSeries.ReadAsync(db, ThroughputSql, [new("step", Minute), new("from", from), new("to", to)], ct);

        var mailings = await db.Mailings.AsNoTracking().Where(m => m.Status == MailingStatus.Running).OrderByDescending(m => m.Id).Take(MaxRunning)
            .Select(m => new RunningMailing(m.Id, m.Text.Substring(0, MailingTextStart), m.StartedAt, m.EndAt,
                m.Counts.Pending + m.Counts.Sent + m.Counts.Failed + m.Counts.Expired + m.Counts.Cancelled, m.Counts.Sent, m.Counts.Failed, m.Counts.Pending))
            .ToListAsync(ct);
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => c.Status == CampaignStatus.Sending).OrderByDescending(c => c.Id).Take(MaxRunning)
            .Select(c => new RunningCampaign(c.Id, c.Name, c.StartedAt,
                c.Counts.Pending + c.Counts.Sent + c.Counts.Failed + c.Counts.Cancelled, c.Counts.Sent, c.Counts.Failed, c.Counts.Pending))
            .ToListAsync(ct);
        // Few: each is a record some consumer could not handle (the state index counts them).
        var deadLettersWaiting = await db.DeadLetters.LongCountAsync(d => d.State == DeadLetterState.Waiting, ct);
        var counts = await counting;

        return new OverviewResponse(
            counts.At,
            ByStatus(counts.Tasks),
            ByStatus(new Dictionary<MessageStatus, long>
            {
                [MessageStatus.Pending] = sms?.Pending ?? 0,
                [MessageStatus.Sent] = sms?.Sent ?? 0,
                [MessageStatus.Failed] = sms?.Failed ?? 0,
                [MessageStatus.Expired] = sms?.Expired ?? 0,
                [MessageStatus.Cancelled] = sms?.Cancelled ?? 0,
            }),
            ByStatus(new Dictionary<EmailStatus, long>
            {
                [EmailStatus.Pending] = (campaignEmails?.Pending ?? 0) + reportEmails.GetValueOrDefault(EmailStatus.Pending),
                [EmailStatus.Sent] = (campaignEmails?.Sent ?? 0) + reportEmails.GetValueOrDefault(EmailStatus.Sent),
                [EmailStatus.Failed] = (campaignEmails?.Failed ?? 0) + reportEmails.GetValueOrDefault(EmailStatus.Failed),
                [EmailStatus.Cancelled] = (campaignEmails?.Cancelled ?? 0) + reportEmails.GetValueOrDefault(EmailStatus.Cancelled),
            }),
            ByStatus(counts.NotificationDeliveries),
            finished.Points(from, to, Minute, (at, count) => new ThroughputPoint(at, count(0), count(1), count(2), count(3))),
            mailings,
            campaigns,
            deadLettersWaiting);
    }

    /// <summary>Every status of the kind by its API word, in the enum's order, 0 where none is counted.</summary>
    private static Dictionary<string, long> ByStatus<TStatus>(Dictionary<TStatus, long> counts) where TStatus : struct, Enum =>
        Enum.GetValues<TStatus>().ToDictionary(StatusNames<TStatus>.Of, status => counts.GetValueOrDefault(status));
}
