using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Identity.Infrastructure;

/// <summary>
/// The identity service's database (<c>identitydb</c>): operators (ASP.NET Core Identity's tables), apps, tokens and
/// scopes (OpenIddict's), and our own: the audit events, the revocations TaskApi reads, and the keys tokens are signed
/// and encrypted with when the configuration gives none.
/// </summary>
public sealed class IdentityDb(DbContextOptions<IdentityDb> options) : IdentityUserContext<Operator>(options)
{
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<RevocationRow> Revocations => Set<RevocationRow>();
    public DbSet<StoredKey> Keys => Set<StoredKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();

        var user = builder.Entity<Operator>();
        user.Property(o => o.Role).HasMaxLength(20);

        var audit = builder.Entity<AuditEvent>();
        audit.ToTable("audit_events");
        audit.HasKey(e => e.Id);
        audit.Property(e => e.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        audit.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        audit.Property(e => e.ActorId).HasColumnName("actor_id").HasMaxLength(200);
        audit.Property(e => e.ActorKind).HasColumnName("actor_kind").HasMaxLength(20);
        audit.Property(e => e.ActorName).HasColumnName("actor_name").HasMaxLength(200);
        audit.Property(e => e.Action).HasColumnName("action").HasMaxLength(100);
        audit.Property(e => e.Entity).HasColumnName("entity").HasMaxLength(300);
        audit.Property(e => e.ClientAddress).HasColumnName("client_address").HasMaxLength(64);
        audit.Property(e => e.Detail).HasColumnName("detail").HasMaxLength(1000);

        var revocation = builder.Entity<RevocationRow>();
        revocation.ToTable("revocations");
        revocation.HasKey(r => r.Id);
        revocation.Property(r => r.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        revocation.Property(r => r.Subject).HasColumnName("subject").HasMaxLength(200);
        revocation.Property(r => r.NotBefore).HasColumnName("not_before");
        revocation.Property(r => r.EffectiveAt).HasColumnName("effective_at");
        // What the revocation list reads: the ones a token still alive may be subject to.
        revocation.HasIndex(r => r.NotBefore).HasDatabaseName("ix_revocations_not_before");

        var key = builder.Entity<StoredKey>();
        key.ToTable("keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        key.Property(k => k.Use).HasColumnName("use").HasMaxLength(10);
        key.Property(k => k.Material).HasColumnName("material");
        key.Property(k => k.CreatedAt).HasColumnName("created_at");
    }
}

/// <summary>A row of <c>audit_events</c>: a write at the identity service or a failed sign-in.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string ActorId { get; set; } = "";
    public string ActorKind { get; set; } = "";
    public string? ActorName { get; set; }
    public string Action { get; set; } = "";
    public string? Entity { get; set; }
    public string? ClientAddress { get; set; }
    public string? Detail { get; set; }
}

/// <summary>A row of <c>revocations</c>: the subject's tokens issued before <see cref="NotBefore"/> are refused from <see cref="EffectiveAt"/>.</summary>
public sealed class RevocationRow
{
    public long Id { get; set; }
    public string Subject { get; set; } = "";
    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset EffectiveAt { get; set; }
}

/// <summary>A row of <c>keys</c>: a key generated at the first start when the configuration gives none.</summary>
public sealed class StoredKey
{
    public const string Signing = "sig";
    public const string Encryption = "enc";

    public long Id { get; set; }

    /// <summary><see cref="Signing"/> (an RSA private key, PKCS#8 PEM) or <see cref="Encryption"/> (256 bits, base64).</summary>
    public string Use { get; set; } = "";
    public string Material { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
