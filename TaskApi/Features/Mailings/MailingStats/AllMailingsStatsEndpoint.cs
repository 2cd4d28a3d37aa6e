using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings.MailingStats;

/// <summary>Mailings by status.</summary>
public sealed record MailingCountsResponse(int Total, int Scheduled, int Running, int Finished, int Cancelled);

/// <summary>Every mailing's statistics: totals, and a page of mailings (newest first) with their counts.</summary>
/// <param name="Mailings">Mailings by status.</param>
/// <param name="Messages">Every mailing's messages by status.</param>
/// <param name="Items">A page of mailings with their counts.</param>
public sealed record AllMailingsStatsResponse(MailingCountsResponse Mailings, MessageCountsResponse Messages, ItemsPage<MailingStatsResponse> Items);

/// <summary><c>GET /mailings/stats</c>: totals over every mailing and, paged, each mailing's counts.</summary>
public sealed class AllMailingsStatsEndpoint(TasksDbContext db) : Endpoint<PageRequest, AllMailingsStatsResponse>
{
    public override void Configure()
    {
        Get("/stats");
        Group<MailingsGroup>();
        Policies(ApiAccess.MailingsRead);
        Description(endpoint => endpoint.WithName("GetAllMailingsStats"));
        Summary(summary =>
        {
            summary.Summary = "Statistics of every mailing";
            summary.Description = "Totals of mailings by status and of messages by status, and a page (page, pageSize 1..100) of mailings, " +
                "newest first, with their counts. Exact: the counts are kept with the messages, so this reads one row per mailing.";
        });
    }

    public override async Task<AllMailingsStatsResponse> ExecuteAsync(PageRequest request, CancellationToken ct)
    {
        var byStatus = await db.Mailings.AsNoTracking()
            .GroupBy(m => m.Status)
            .Select(g => new
            {
                Status = g.Key,
                Mailings = g.Count(),
                Pending = g.Sum(m => m.Counts.Pending),
                Sent = g.Sum(m => m.Counts.Sent),
                Failed = g.Sum(m => m.Counts.Failed),
                Expired = g.Sum(m => m.Counts.Expired),
                Cancelled = g.Sum(m => m.Counts.Cancelled),
            })
            .ToListAsync(ct);
        int Mailings(MailingStatus status) => byStatus.FirstOrDefault(s => s.Status == status)?.Mailings ?? 0;
        var messages = new MessageCounts
        {
            Pending = byStatus.Sum(s => s.Pending),
            Sent = byStatus.Sum(s => s.Sent),
            Failed = byStatus.Sum(s => s.Failed),
            Expired = byStatus.Sum(s => s.Expired),
            Cancelled = byStatus.Sum(s => s.Cancelled),
        };
        var page = await db.Mailings.AsNoTracking().OrderByDescending(m => m.Id).PageOf(request).ToListAsync(ct);
        return new AllMailingsStatsResponse(
            new MailingCountsResponse(byStatus.Sum(s => s.Mailings), Mailings(MailingStatus.Scheduled), Mailings(MailingStatus.Running),
                Mailings(MailingStatus.Finished), Mailings(MailingStatus.Cancelled)),
            MessageCountsResponse.From(messages),
            new ItemsPage<MailingStatsResponse>(page.Select(MailingStatsResponse.From).ToList(), request.PageOrFirst(), request.PageSizeOrDefault(), byStatus.Sum(s => s.Mailings), TotalCapped: false));
    }
}
