using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Campaigns.CampaignStats;

/// <summary>A campaign's statistics.</summary>
/// <param name="CampaignId">The campaign.</param>
/// <param name="Status">scheduled, sending, sent or cancelled.</param>
/// <param name="Recipients">Emails made for it (one per address).</param>
/// <param name="Pending">Emails not yet accepted by the SMTP server (waiting, in flight or waiting for a retry).</param>
/// <param name="Sent">Emails the SMTP server accepted.</param>
/// <param name="Failed">Emails refused for good (a 5xx reply, or transient failures until the last attempt).</param>
/// <param name="Cancelled">Emails not sent because the campaign was cancelled.</param>
/// <param name="Opened">Sent emails opened at least once (their pixel loaded).</param>
/// <param name="Opens">Opens in all, repeated ones included.</param>
/// <param name="Clicked">Emails with at least one link followed.</param>
/// <param name="Clicks">Links followed in all.</param>
/// <param name="Unsubscribed">Recipients who unsubscribed through this campaign's email.</param>
/// <param name="OpenRate">Opened ÷ sent (0 while nothing is sent).</param>
/// <param name="ClickRate">Clicked ÷ sent (0 while nothing is sent).</param>
public sealed record CampaignStatsResponse(
    long CampaignId, string Status, int Recipients, int Pending, int Sent, int Failed, int Cancelled,
    int Opened, long Opens, int Clicked, long Clicks, int Unsubscribed, double OpenRate, double ClickRate);

/// <summary><c>GET /campaigns/{id}/stats</c>: its emails by status and what their readers did.</summary>
public sealed class CampaignStatsEndpoint(TasksDbContext db) : Endpoint<CampaignIdRequest, Results<Ok<CampaignStatsResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}/stats");
        Group<CampaignsGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint.WithName("GetCampaignStats").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "A campaign's statistics";
            summary.Description = "Emails by status (exact: kept with the emails), and opens, clicks and unsubscriptions counted from the emails.";
            summary.Responses[StatusCodes.Status404NotFound] = "No campaign has this id.";
        });
    }

    public override async Task<Results<Ok<CampaignStatsResponse>, ProblemHttpResult>> ExecuteAsync(CampaignIdRequest request, CancellationToken ct)
    {
        if (await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.Id, ct) is not { } campaign)
        {
            return CampaignProblems.NotFound(request.Id);
        }
        var readers = await db.EmailMessages.Where(m => m.CampaignId == request.Id)
            .GroupBy(_ => 1)
            .Select(emails => new
            {
                Opened = emails.Count(m => m.FirstOpenedAt != null),
                Opens = emails.Sum(m => (long)m.Opens),
                Clicked = emails.Count(m => m.FirstClickedAt != null),
                Clicks = emails.Sum(m => (long)m.Clicks),
                Unsubscribed = emails.Count(m => m.UnsubscribedAt != null),
            })
            .SingleOrDefaultAsync(ct);
        var counts = campaign.Counts;
        double Rate(int part) => counts.Sent == 0 ? 0 : Math.Round((double)part / counts.Sent, 4);
        return TypedResults.Ok(new CampaignStatsResponse(
            campaign.Id, StatusNames<CampaignStatus>.Of(campaign.Status), counts.Total, counts.Pending, counts.Sent, counts.Failed, counts.Cancelled,
            readers?.Opened ?? 0, readers?.Opens ?? 0, readers?.Clicked ?? 0, readers?.Clicks ?? 0, readers?.Unsubscribed ?? 0,
            Rate(readers?.Opened ?? 0), Rate(readers?.Clicked ?? 0)));
    }
}
