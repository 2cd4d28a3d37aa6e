using FastEndpoints;

namespace TaskApi.Features.Campaigns;

/// <summary>The <c>/campaigns</c> routes: one endpoint per use case in the folders beside this file.</summary>
public sealed class CampaignsGroup : Group
{
    public CampaignsGroup() => Configure("campaigns", endpoint =>
    {
        endpoint.Description(description => description.WithTags("Campaigns"));
    });
}
