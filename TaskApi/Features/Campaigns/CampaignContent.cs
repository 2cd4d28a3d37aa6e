using Tasks.Shared;

namespace TaskApi.Features.Campaigns;

/// <summary>The <see cref="CampaignChanged"/> records the workers read a campaign's content and cancellation from.</summary>
public static class CampaignContent
{
    /// <summary>The content as sending begins: the template's parts now, the campaign's subject in place of the template's when set.</summary>
    public static CampaignChanged Sending(Campaign campaign, string subject, string html, string? text) => new(
        campaign.Id, campaign.Name, new EmailPerson(campaign.FromEmail, campaign.FromName), campaign.Subject ?? subject, html, text,
        campaign.Message, Cancelled: false);

    /// <summary>A cancellation: nothing more is sent, so the content is no longer needed.</summary>
    public static CampaignChanged CancelledChange(Campaign campaign) => new(
        campaign.Id, campaign.Name, new EmailPerson(campaign.FromEmail, campaign.FromName), Subject: "", Html: "", Text: null,
        campaign.Message, Cancelled: true);
}
