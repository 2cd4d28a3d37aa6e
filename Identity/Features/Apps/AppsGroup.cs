using FastEndpoints;

namespace Identity.Features.Apps;

/// <summary>The <c>/apps</c> routes: third-party applications an admin registers and gives credentials.</summary>
public sealed class AppsGroup : Group
{
    public AppsGroup() => Configure("apps", endpoint => endpoint.Description(description => description.WithTags("Apps")));
}
