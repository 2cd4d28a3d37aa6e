using FastEndpoints;
using Identity.Extensions;
using Identity.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tasks.Shared;

namespace Identity.Features.Sync.ListRevocations;

/// <summary>
/// <c>GET /sync/revocations</c>: every revocation a token still alive may be subject to (those of the last access-token
/// lifetime, and those that take effect later). TaskApi reads the whole list each time: it stays short, and a whole list
/// cannot miss a row committed out of order.
/// </summary>
public sealed class ListRevocationsEndpoint(IdentityDb db, IOptions<IdentityServiceOptions> options, TimeProvider clock) : EndpointWithoutRequest<RevocationList>
{
    // Tokens are refused up to this long after their expiry, for clocks that disagree; a revocation stays in the list as long.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public override void Configure()
    {
        Get("/revocations");
        Group<SyncGroup>();
        Policies(Extensions.Extensions.SyncPolicy);
        Summary(summary => summary.Summary = "The revocations of tokens that may still be alive");
    }

    public override async Task<RevocationList> ExecuteAsync(CancellationToken ct)
    {
        var since = clock.GetUtcNow() - options.Value.AccessTokenLifetime - ClockSkew;
        var rows = await db.Revocations.AsNoTracking().Where(r => r.NotBefore > since).OrderBy(r => r.Id).ToListAsync(ct);
        return new RevocationList([.. rows.Select(r => new Revocation(r.Subject, r.NotBefore, r.EffectiveAt))]);
    }
}
