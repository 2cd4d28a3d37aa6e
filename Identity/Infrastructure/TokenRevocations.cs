using Tasks.Shared;

namespace Identity.Infrastructure;

/// <summary>Revokes a subject's tokens: the rows TaskApi reads (<c>GET /sync/revocations</c>) and refuses tokens by.</summary>
public static class TokenRevocations
{
    /// <summary>
    /// Every token of <paramref name="subject"/> issued until now is refused from <paramref name="effectiveAt"/> on (at
    /// once when null). Tokens say when their request arrived to the millisecond (<see cref="AccessClaims.RequestedAt"/>;
    /// <c>iat</c> has whole seconds only), so one got with a new secret, password or role a moment later is not caught.
    /// </summary>
    public static void RevokeTokens(this IdentityDb db, string subject, DateTimeOffset now, DateTimeOffset? effectiveAt = null) =>
        db.Revocations.Add(new RevocationRow
        {
            Subject = subject,
            NotBefore = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()),
            EffectiveAt = effectiveAt ?? now,
        });
}
