using Microsoft.Extensions.Options;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// Reads the identity service's revocations every <see cref="AuthOptions.SyncInterval"/> (a second), so that a disabled
/// or deleted app or operator is refused by every TaskApi instance within seconds, not when its tokens expire. While the
/// identity service cannot be reached, the last list read stays in force (revocations are made there, so none is missed
/// that it could have told).
/// </summary>
public sealed class RevocationSync(IdentityClient identity, RevokedTokens revoked, IOptions<AuthOptions> options, ILogger<RevocationSync> logger)
    : IdentitySyncLoop(options, logger)
{
    protected override string What => "revocations";

    protected override async Task PassAsync(CancellationToken ct) => revoked.Replace(await identity.GetRevocationsAsync(ct));
}
