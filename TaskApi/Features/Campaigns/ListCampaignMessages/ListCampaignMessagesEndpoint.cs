using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Campaigns.ListCampaignMessages;

/// <summary>The route, filters and page of <c>GET /campaigns/{id}/messages</c>.</summary>
public sealed class ListCampaignMessagesRequest : ICursorPagedRequest, IStatusFilteredRequest
{
    /// <summary>The campaign's id.</summary>
    public long Id { get; set; }

    /// <summary>Only emails in this status: pending, sent, failed or cancelled.</summary>
    public string? Status { get; set; }

    /// <summary>true: only emails opened at least once; false: only those never opened.</summary>
    public bool? Opened { get; set; }

    public int? Page { get; set; }

    public int? PageSize { get; set; }

    public long? After { get; set; }
}

public sealed class ListCampaignMessagesValidator : Validator<ListCampaignMessagesRequest>
{
    public ListCampaignMessagesValidator()
    {
        Include(new StatusFilterRules<EmailStatus>());
        Include(new CursorPagingRules());
    }
}

/// <summary>An email of a campaign.</summary>
/// <param name="Id">The email's id (its Message-ID carries it).</param>
/// <param name="Email">The recipient's address.</param>
/// <param name="Name">The recipient's name when the campaign began sending.</param>
/// <param name="Status">pending, sent, failed or cancelled.</param>
/// <param name="Attempts">Attempts handed to the SMTP server so far.</param>
/// <param name="SentAt">When the SMTP server accepted it.</param>
/// <param name="DueAt">While waiting for a retry: when it goes out next.</param>
/// <param name="LastError">The last failed attempt's reply or reason.</param>
/// <param name="FirstOpenedAt">When it was first opened.</param>
/// <param name="Opens">How often it was opened.</param>
/// <param name="FirstClickedAt">When a link in it was first followed.</param>
/// <param name="Clicks">How often its links were followed.</param>
/// <param name="UnsubscribedAt">When its recipient unsubscribed through it.</param>
public sealed record CampaignMessageResponse(
    long Id, string Email, string? Name, string Status, int Attempts, DateTimeOffset? SentAt, DateTimeOffset? DueAt, string? LastError,
    DateTimeOffset? FirstOpenedAt, int Opens, DateTimeOffset? FirstClickedAt, int Clicks, DateTimeOffset? UnsubscribedAt);

/// <summary><c>GET /campaigns/{id}/messages</c>: a page of a campaign's emails in id order, optionally of one status, opened or not.</summary>
public sealed class ListCampaignMessagesEndpoint(TasksDbContext db)
    : Endpoint<ListCampaignMessagesRequest, Results<Ok<ItemsPage<CampaignMessageResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}/messages");
        Group<CampaignsGroup>();
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint.WithName("ListCampaignMessages").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "List a campaign's emails";
            summary.Description = "In id order, optionally of one status and opened or not; " + Paging.ByCursorDescription + ".";
            summary.Responses[StatusCodes.Status404NotFound] = "No campaign has this id.";
        });
    }

    public override async Task<Results<Ok<ItemsPage<CampaignMessageResponse>>, ProblemHttpResult>> ExecuteAsync(ListCampaignMessagesRequest request, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == request.Id, ct))
        {
            return CampaignProblems.NotFound(request.Id);
        }
        var emails = db.EmailMessages.AsNoTracking().Where(m => m.CampaignId == request.Id);
        if (request.Status is not null)
        {
            var status = StatusNames<EmailStatus>.Parse(request.Status);
            emails = emails.Where(m => m.Status == status);
        }
        if (request.Opened is { } opened)
        {
            emails = opened ? emails.Where(m => m.FirstOpenedAt != null) : emails.Where(m => m.FirstOpenedAt == null);
        }
        return TypedResults.Ok(await emails.ToIdPageAsync(request, m => m.Id,
            m => new CampaignMessageResponse(m.Id, m.Email, m.Name, StatusNames<EmailStatus>.Of(m.Status), m.Attempts, m.SentAt, m.DueAt,
                m.LastError, m.FirstOpenedAt, m.Opens, m.FirstClickedAt, m.Clicks, m.UnsubscribedAt),
            m => m.Id, ct));
    }
}
