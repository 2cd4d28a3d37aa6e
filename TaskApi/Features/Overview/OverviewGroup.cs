using FastEndpoints;

namespace TaskApi.Features.Overview;

/// <summary>The <c>/overview</c> route: what the whole system is doing, in one answer, for the operators' console.</summary>
public sealed class OverviewGroup : Group
{
    public OverviewGroup() => Configure("overview", endpoint => endpoint.Description(description => description.WithTags("Overview")));
}
