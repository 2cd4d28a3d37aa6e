using System.Collections.Frozen;
using Tasks.Shared;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// The identity service's revocations, as last read (<see cref="RevocationSync"/>): checked for every request's token
/// in memory, so revoking costs no call to the identity service per request.
/// </summary>
public sealed class RevokedTokens(TimeProvider clock)
{
    private volatile FrozenDictionary<string, Revocation[]>? _bySubject;

    /// <summary>Until the first list arrives, no token can be checked: requests wait with 503 rather than pass unchecked.</summary>
    public bool Loaded => _bySubject is not null;

    public DateTimeOffset? LoadedAt { get; private set; }

    public void Replace(RevocationList list)
    {
        _bySubject = list.Items.GroupBy(r => r.Subject).ToFrozenDictionary(g => g.Key, g => g.ToArray());
        LoadedAt = clock.GetUtcNow();
    }

    /// <summary>Whether a token of <paramref name="subject"/> issued at <paramref name="issuedAt"/> is revoked now.</summary>
    public bool IsRevoked(string subject, DateTimeOffset issuedAt)
    {
        if (_bySubject is not { } bySubject || !bySubject.TryGetValue(subject, out var revocations))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        return revocations.Any(r => now >= r.EffectiveAt && issuedAt < r.NotBefore);
    }
}
