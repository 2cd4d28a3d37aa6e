using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Lists;
using TaskApi.Features.Tasks;
using TaskApi.Features.Templates;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Campaigns.CreateCampaign;

/// <summary><c>POST /campaigns</c>: stores a campaign and sets its sending in motion, now or at its time.</summary>
public sealed partial class CreateCampaignEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<CreateCampaignEndpoint> logger) : Endpoint<CreateCampaignRequest, Created<CampaignResponse>>
{
    public const int MaxRequestBytes = 64 * 1024;

    public override void Configure()
    {
        Post("/");
        Group<CampaignsGroup>();
        Policies(ApiAccess.CampaignsWrite);
        RequestBinder(new RequestBinder<CreateCampaignRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("CreateCampaign")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Create an email campaign";
            summary.Description = "Stores a campaign with status 'scheduled'. At sendAt (at once when absent or past) it becomes 'sending': " +
                "the template is read, and every subscribed address of the lists gets one email (an address on several lists once). " +
                "When every email is sent or failed the campaign is 'sent'.";
            summary.Responses[StatusCodes.Status201Created] = "The campaign was created; Location is its address.";
            summary.Responses[StatusCodes.Status400BadRequest] = "A field is invalid, or the template or a list does not exist.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Created<CampaignResponse>> ExecuteAsync(CreateCampaignRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var campaign = request.ToCampaign(now, User.Id());
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await CheckReferencesAsync(campaign, ct);
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync(ct);
            db.OutboxMessages.Add(CampaignRecords.Due(campaign, TaskCreation.CurrentTraceParent(), now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        });
        outbox.Notify();
        LogCreated(logger, campaign.Id, campaign.SendAt);
        return TypedResults.Created($"/campaigns/{campaign.Id}", CampaignResponse.Of(campaign));
    }

    /// <summary>
    /// A template or list that does not exist is the request's error, named by its field. Those that exist stay locked
    /// until the campaign is stored, so none is deleted from under it (RowLocks).
    /// </summary>
    private async Task CheckReferencesAsync(Campaign campaign, CancellationToken ct)
    {
        if ((await db.LockForShareAsync<EmailTemplate>([campaign.TemplateId], ct)).Count == 0)
        {
            AddError(new ValidationFailure("templateId", $"No template has id {campaign.TemplateId}."));
        }
        var found = await db.LockForShareAsync<SubscriberList>(campaign.ListIds, ct);
        foreach (var missing in campaign.ListIds.Except(found))
        {
            AddError(new ValidationFailure("listIds", $"No list has id {missing}."));
        }
        ThrowIfAnyErrors();
    }

    [LoggerMessage(LogLevel.Information, "Campaign {CampaignId} created, to send at {SendAt:O}")]
    private static partial void LogCreated(ILogger logger, long campaignId, DateTimeOffset sendAt);
}
