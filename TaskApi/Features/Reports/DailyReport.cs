using Microsoft.EntityFrameworkCore;
using NodaTime;
using TaskApi.Features.Campaigns;
using TaskApi.Features.Mailings;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Reports;

/// <summary>
/// A day's SMS mailings and email campaigns (the day in the report's time zone, [<see cref="From"/>, <see cref="To"/>)).
/// A mailing or campaign belongs to the day when it was created that day or was sending during it (started before
/// the day's end and not finished before its start); it is counted under its status now. Messages and emails are
/// counted under the final status they reached that day; opens are emails first opened that day.
/// </summary>
/// <param name="Date">The day, yyyy-MM-dd.</param>
/// <param name="TimeZone">The IANA time zone whose day it is.</param>
/// <param name="From">The day's first instant.</param>
/// <param name="To">The next day's first instant.</param>
/// <param name="Mailings">The day's SMS mailings.</param>
/// <param name="Campaigns">The day's email campaigns.</param>
public sealed record DailyReport(string Date, string TimeZone, DateTimeOffset From, DateTimeOffset To, MailingsSection Mailings, CampaignsSection Campaigns)
{
    /// <summary>The most mailings and campaigns listed one by one; the counts cover all of them.</summary>
    public const int MaxItems = 100;

    public static async Task<DailyReport> BuildAsync(TasksDbContext db, LocalDate date, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var from = SendWindowClock.At(date, LocalTime.Midnight, zone);
        var to = SendWindowClock.At(date.PlusDays(1), LocalTime.Midnight, zone);

        var mailings = db.Mailings.AsNoTracking().Where(m =>
            (m.CreatedAt >= from && m.CreatedAt < to) || (m.StartedAt < to && (m.FinishedAt == null || m.FinishedAt >= from)));
        var mailingStatuses = await mailings.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var mailingItems = await mailings.OrderBy(m => m.Id).Take(MaxItems)
            .Select(m => new MailingReportItem(m.Id, m.Text, StatusNames<MailingStatus>.Of(m.Status), m.Counts.Sent, m.Counts.Failed, m.Counts.Expired, m.Counts.Pending))
            .ToListAsync(cancellationToken);
        var messages = await db.SmsMessages.Where(m => m.FinishedAt >= from && m.FinishedAt < to)
            .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);

        var campaigns = db.Campaigns.AsNoTracking().Where(c =>
            (c.CreatedAt >= from && c.CreatedAt < to) || (c.StartedAt < to && (c.FinishedAt == null || c.FinishedAt >= from)));
        var campaignStatuses = await campaigns.GroupBy(c => c.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var campaignItems = await campaigns.OrderBy(c => c.Id).Take(MaxItems)
            .Select(c => new CampaignReportItem(c.Id, c.Name, StatusNames<CampaignStatus>.Of(c.Status), c.Counts.Sent, c.Counts.Failed, c.Counts.Pending))
            .ToListAsync(cancellationToken);
        var campaignEmails = db.EmailMessages.Where(m => m.CampaignId != null);
        var emails = await campaignEmails.Where(m => m.FinishedAt >= from && m.FinishedAt < to)
            .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var opened = await campaignEmails.CountAsync(m => m.FirstOpenedAt >= from && m.FirstOpenedAt < to, cancellationToken);

        return new DailyReport(date.ToString("yyyy-MM-dd", null), zone.Id, from, to,
            new MailingsSection(
                mailingStatuses.Sum(s => s.Count),
                ByStatus<MailingStatus>(mailingStatuses.ToDictionary(s => s.Key, s => s.Count)),
                ByStatus<MessageStatus>(messages.ToDictionary(s => s.Key, s => s.Count), MessageStatus.Pending),
                mailingItems),
            new CampaignsSection(
                campaignStatuses.Sum(s => s.Count),
                ByStatus<CampaignStatus>(campaignStatuses.ToDictionary(s => s.Key, s => s.Count)),
                ByStatus<EmailStatus>(emails.ToDictionary(s => s.Key, s => s.Count), EmailStatus.Pending),
                opened,
                campaignItems));
    }

    /// <summary>Every status with its count, zeros included, so a reader sees the whole picture.</summary>
    private static IReadOnlyDictionary<string, int> ByStatus<TStatus>(Dictionary<TStatus, int> counts, TStatus? except = null) where TStatus : struct, Enum =>
        Enum.GetValues<TStatus>().Where(status => !status.Equals(except))
            .ToDictionary(StatusNames<TStatus>.Of, status => counts.GetValueOrDefault(status));

    /// <param name="Id">The mailing.</param>
    /// <param name="Text">Its text.</param>
    /// <param name="Status">Its status now.</param>
    /// <param name="Sent">Its messages sent (all days).</param>
    /// <param name="Failed">Its messages failed (all days).</param>
    /// <param name="Expired">Its messages expired (all days).</param>
    /// <param name="Pending">Its messages not yet final.</param>
    public sealed record MailingReportItem(long Id, string Text, string Status, int Sent, int Failed, int Expired, int Pending);

    /// <param name="Id">The campaign.</param>
    /// <param name="Name">Its name.</param>
    /// <param name="Status">Its status now.</param>
    /// <param name="Sent">Its emails sent (all days).</param>
    /// <param name="Failed">Its emails failed (all days).</param>
    /// <param name="Pending">Its emails not yet final.</param>
    public sealed record CampaignReportItem(long Id, string Name, string Status, int Sent, int Failed, int Pending);
}

/// <param name="Total">Mailings of the day.</param>
/// <param name="ByStatus">Mailings of the day by their status now.</param>
/// <param name="Messages">Messages that reached each final status that day.</param>
/// <param name="Items">The first 100 mailings of the day.</param>
public sealed record MailingsSection(int Total, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> Messages, IReadOnlyList<DailyReport.MailingReportItem> Items);

/// <param name="Total">Campaigns of the day.</param>
/// <param name="ByStatus">Campaigns of the day by their status now.</param>
/// <param name="Emails">Campaign emails that reached each final status that day.</param>
/// <param name="Opened">Campaign emails first opened that day.</param>
/// <param name="Items">The first 100 campaigns of the day.</param>
public sealed record CampaignsSection(int Total, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> Emails, int Opened, IReadOnlyList<DailyReport.CampaignReportItem> Items);
