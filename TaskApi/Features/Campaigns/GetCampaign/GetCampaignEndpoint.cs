using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Campaigns.GetCampaign;

/// <summary><c>GET /campaigns/{id}</c>.</summary>
public sealed class GetCampaignEndpoint(TasksDbContext db) : Endpoint<CampaignIdRequest, Results<Ok<CampaignResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}");
        Group<CampaignsGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint.WithName("GetCampaign").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a campaign";
            summary.Responses[StatusCodes.Status404NotFound] = "No campaign has this id.";
        });
    }

    public override async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> ExecuteAsync(CampaignIdRequest request, CancellationToken ct) =>
        await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.Id, ct) is { } campaign
            ? TypedResults.Ok(CampaignResponse.Of(campaign))
            : CampaignProblems.NotFound(request.Id);
}
