using FastEndpoints;

namespace Identity.Features.Sync;

/// <summary>The <c>/sync</c> routes: what TaskApi reads from the identity service every second (its own client, scope identity.sync).</summary>
public sealed class SyncGroup : Group
{
    public SyncGroup() => Configure("sync", endpoint => endpoint.Description(description => description.WithTags("Sync")));
}
