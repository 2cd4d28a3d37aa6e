namespace Tasks.Shared;

/// <summary>
/// The identity service's answer to <c>GET /sync/revocations</c>: every revocation a token still alive may be subject to.
/// A token of <see cref="Revocation.Subject"/> issued before <see cref="Revocation.NotBefore"/> is refused from
/// <see cref="Revocation.EffectiveAt"/> on.
/// </summary>
public sealed record RevocationList(IReadOnlyList<Revocation> Items);

/// <param name="Subject">An operator's id or an app's client id.</param>
/// <param name="NotBefore">Tokens issued (<c>iat</c>) before this are refused.</param>
/// <param name="EffectiveAt">From when: at once for a disabled or deleted subject, at the end of the overlap for a rotated secret.</param>
public sealed record Revocation(string Subject, DateTimeOffset NotBefore, DateTimeOffset EffectiveAt);

/// <summary>The identity service's answer to <c>GET /sync/audit?after=</c>: its audit events in the order they were committed.</summary>
public sealed record AuditEventPage(IReadOnlyList<AuditEventRecord> Items);

/// <summary>One write or failed sign-in at the identity service.</summary>
/// <param name="Id">Increasing in commit order: the next page starts after the last one read.</param>
/// <param name="ActorId">The operator's id or the app's client id; for a failed sign-in, the login or client id given.</param>
/// <param name="ActorKind">One of <see cref="ActorKinds"/>.</param>
/// <param name="Action">What happened, e.g. <c>operator.created</c>, <c>sign_in.refused</c>.</param>
/// <param name="Entity">What it happened to, e.g. <c>/operators/{id}</c>, <c>/apps/{clientId}</c>.</param>
/// <param name="ClientAddress">The caller's IP address.</param>
/// <param name="Detail">Anything more worth keeping (never a secret).</param>
public sealed record AuditEventRecord(
    long Id, DateTimeOffset OccurredAt, string ActorId, string ActorKind, string? ActorName, string Action, string? Entity,
    string? ClientAddress, string? Detail);
