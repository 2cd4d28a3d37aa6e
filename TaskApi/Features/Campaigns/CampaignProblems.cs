using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Campaigns;

/// <summary>The RFC 7807 answers the campaign endpoints share.</summary>
public static class CampaignProblems
{
    public static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Campaign not found", detail: $"No campaign has id {id}.");

    public static ProblemHttpResult Conflict(Campaign campaign, string action) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Campaign cannot change",
            detail: $"Campaign {campaign.Id} is {StatusNames<CampaignStatus>.Of(campaign.Status)}; {action}.");
}

/// <summary>The route of <c>/campaigns/{id}</c>.</summary>
public sealed class CampaignIdRequest
{
    /// <summary>The campaign's id.</summary>
    public long Id { get; set; }
}
