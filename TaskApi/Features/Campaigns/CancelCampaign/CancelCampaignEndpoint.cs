using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Tasks;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Campaigns.CancelCampaign;

/// <summary>
/// <c>DELETE /campaigns/{id}</c>: cancels a scheduled or sending campaign. Its unsent emails become cancelled, its send
/// time is dropped from the Scheduler, and the workers are told, so they send nothing more of it.
/// </summary>
public sealed partial class CancelCampaignEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    CampaignMetrics metrics,
    TimeProvider clock,
    ILogger<CancelCampaignEndpoint> logger) : Endpoint<CampaignIdRequest, Results<Ok<CampaignResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<CampaignsGroup>();
        Policies(ApiAccess.CampaignsWrite);
        Description(endpoint => endpoint.WithName("CancelCampaign")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict));
        Summary(summary =>
        {
            summary.Summary = "Cancel a campaign";
            summary.Description = "A scheduled campaign never sends; a sending one sends nothing more and its unsent emails become " +
                "'cancelled' (an email a worker is handing to the SMTP server at that moment may still go out, and is then counted sent). " +
                "Cancelling a cancelled campaign again changes nothing.";
            summary.Responses[StatusCodes.Status200OK] = "The campaign, cancelled.";
            summary.Responses[StatusCodes.Status404NotFound] = "No campaign has this id.";
            summary.Responses[StatusCodes.Status409Conflict] = "The campaign has been sent.";
        });
    }

    public override async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> ExecuteAsync(CampaignIdRequest request, CancellationToken ct)
    {
        var (campaign, cancelled) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var campaign = await CampaignEmails.LockAsync(db, request.Id, ct);
            if (campaign is not { Status: CampaignStatus.Scheduled or CampaignStatus.Sending })
            {
                return (campaign, -1);
            }
            var now = clock.GetUtcNow();
            var traceParent = TaskCreation.CurrentTraceParent();
            var cancelled = await CampaignEmails.CancelPendingAsync(db, campaign, now, ct);
            if (campaign.Status == CampaignStatus.Scheduled)
            {
                db.OutboxMessages.Add(CampaignRecords.CancelDue(campaign, traceParent, now));
            }
            else
            {
                // Only a sending campaign's content is with the workers; the change keeps it, marked cancelled.
                db.OutboxMessages.Add(CampaignRecords.Changed(CampaignContent.CancelledChange(campaign), traceParent, now));
            }
            campaign.Status = CampaignStatus.Cancelled;
            campaign.FinishedAt = now;
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (campaign, cancelled);
        });

        switch (campaign)
        {
            case null:
                return CampaignProblems.NotFound(request.Id);
            case { Status: CampaignStatus.Sent }:
                return CampaignProblems.Conflict(campaign, "a sent campaign cannot be cancelled");
        }
        if (cancelled >= 0)
        {
            outbox.Notify();
            metrics.Settled(EmailStatus.Cancelled, cancelled);
            LogCancelled(logger, campaign.Id, cancelled);
        }
        return TypedResults.Ok(CampaignResponse.Of(campaign));
    }

    [LoggerMessage(LogLevel.Information, "Campaign {CampaignId} cancelled; {Cancelled} unsent emails cancelled")]
    private static partial void LogCancelled(ILogger logger, long campaignId, int cancelled);
}
