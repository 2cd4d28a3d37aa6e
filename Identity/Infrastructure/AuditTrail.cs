using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Tasks.Shared;

namespace Identity.Infrastructure;

/// <summary>
/// Records each write at the identity service, and each refused sign-in, as an <see cref="AuditEvent"/> in the same
/// transaction as the change. TaskApi copies the events into its audit log by reading them in id order after the last
/// one it has, so they must become visible in that order: every transaction that writes events holds one advisory lock
/// until it commits, so a lower id never commits after a higher one was read. Identity writes are few; the wait is short.
/// </summary>
public sealed class AuditTrail(IdentityDb db, IHttpContextAccessor http, TimeProvider clock)
{
    private const long AuditOrderLockKey = 0x61756469; // "audi"

    /// <summary>The transaction a write and its audit event commit in, holding the lock that keeps events in commit order.</summary>
    public async Task<IDbContextTransaction> BeginAsync(CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuditOrderLockKey})", ct);
        return transaction;
    }

    /// <summary>A write by the signed-in caller (an admin), saved with the transaction's next <c>SaveChanges</c>.</summary>
    public void Record(string action, string entity, string? detail = null)
    {
        var user = http.HttpContext?.User;
        Add(new AuditEvent
        {
            ActorId = user?.FindFirst(AccessClaims.Subject)?.Value ?? "",
            ActorKind = user?.FindFirst(AccessClaims.Actor)?.Value ?? ActorKinds.Anonymous,
            ActorName = user?.FindFirst(AccessClaims.Name)?.Value,
            Action = action,
            Entity = entity,
            Detail = detail,
        });
    }

    /// <summary>A refused sign-in: <paramref name="claimedId"/> is the login or client id the caller gave.</summary>
    public async Task RecordRefusedAsync(string? claimedId, string action, string detail, CancellationToken ct)
    {
        await using var transaction = await BeginAsync(ct);
        Add(new AuditEvent
        {
            ActorId = Truncated(claimedId ?? "", 200),
            ActorKind = ActorKinds.Anonymous,
            Action = action,
            Detail = Truncated(detail, 1000),
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private void Add(AuditEvent audit)
    {
        audit.OccurredAt = clock.GetUtcNow();
        audit.ClientAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        db.AuditEvents.Add(audit);
    }

    private static string Truncated(string text, int length) => text.Length <= length ? text : text[..length];
}

public static class AuditActions
{
    public const string OperatorCreated = "operator.created";
    public const string OperatorUpdated = "operator.updated";
    public const string OperatorPasswordReset = "operator.password_reset";
    public const string OperatorDeleted = "operator.deleted";
    public const string AppRegistered = "app.registered";
    public const string AppUpdated = "app.updated";
    public const string AppSecretRotated = "app.secret_rotated";
    public const string AppDeleted = "app.deleted";
    public const string UserTokenMinted = "user_token.minted";
    public const string SignInRefused = "sign_in.refused";
}
