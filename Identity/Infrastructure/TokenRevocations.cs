namespace Identity.Infrastructure;

/// <summary>Revokes a subject's tokens: the rows TaskApi reads (<c>GET /sync/revocations</c>) and refuses tokens by.</summary>
public static class TokenRevocations
{
    /// <summary>
    /// Every token of <paramref name="subject"/> issued until now is refused from <paramref name="effectiveAt"/> on (at
    /// once when null). A token's <c>iat</c> is in whole seconds, so the boundary is the next whole second: a token issued
    /// in the rest of this second is refused too, never one issued before it let through.
    /// </summary>
    public static void RevokeTokens(this IdentityDb db, string subject, DateTimeOffset now, DateTimeOffset? effectiveAt = null)
    {
        var nextSecond = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 1);
        db.Revocations.Add(new RevocationRow { Subject = subject, NotBefore = nextSecond, EffectiveAt = effectiveAt ?? now });
    }
}
