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
    // Long enough for an identity service that is starting too; not so long that TaskApi waits for one that is away.
    private static readonly TimeSpan FirstReadPatience = TimeSpan.FromSeconds(15);

    protected override string What => "revocations";

    /// <summary>
    /// Reads the revocations once before TaskApi listens (hosted services start before the server), so that its first
    /// requests and health probes find them loaded instead of answering 503 and Unhealthy for a moment. An identity
    /// service that does not answer in time leaves that to the loop.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(FirstReadPatience);
        try
        {
            await PassAsync(patience.Token);
        }
        catch (Exception e) when (IsTransient(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The loop keeps trying, and says so.
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task PassAsync(CancellationToken ct) => revoked.Replace(await identity.GetRevocationsAsync(ct));
}
