using TaskApi.Infrastructure;
using Tasks.Shared;

namespace TaskApi.Features.Campaigns;

/// <summary>A campaign as the API shows it.</summary>
/// <param name="Id">The campaign's id.</param>
/// <param name="Name">Its name (the template's <c>campaign.name</c>).</param>
/// <param name="TemplateId">The template it sends.</param>
/// <param name="ListIds">The lists whose subscribed addresses receive it (each address once).</param>
/// <param name="From">The sender.</param>
/// <param name="Message">The template's <c>message</c>.</param>
/// <param name="Subject">Replaces the template's subject when set.</param>
/// <param name="SendAt">When sending begins.</param>
/// <param name="Status">scheduled, sending, sent or cancelled.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it: an operator's id or an app's client id; null for campaigns older than that record.</param>
/// <param name="StartedAt">When sending began (its messages were made).</param>
/// <param name="FinishedAt">When it was sent or cancelled.</param>
/// <param name="Messages">Its emails by status.</param>
public sealed record CampaignResponse(
    long Id,
    string Name,
    long TemplateId,
    IReadOnlyList<long> ListIds,
    EmailPerson From,
    string Message,
    string? Subject,
    DateTimeOffset SendAt,
    string Status,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    EmailCountsResponse Messages)
{
    public static CampaignResponse Of(Campaign campaign) => new(
        campaign.Id, campaign.Name, campaign.TemplateId, campaign.ListIds, new EmailPerson(campaign.FromEmail, campaign.FromName),
        campaign.Message, campaign.Subject, campaign.SendAt, StatusNames<CampaignStatus>.Of(campaign.Status),
        campaign.CreatedAt, campaign.CreatedBy, campaign.StartedAt, campaign.FinishedAt, EmailCountsResponse.From(campaign.Counts));
}

/// <summary>Emails by status; exact (kept in the same transactions that change the emails).</summary>
public sealed record EmailCountsResponse(int Total, int Pending, int Sent, int Failed, int Cancelled)
{
    public static EmailCountsResponse From(EmailCounts counts) => new(counts.Total, counts.Pending, counts.Sent, counts.Failed, counts.Cancelled);
}
