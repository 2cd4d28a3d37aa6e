using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Clients;

public sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public const int MaxPhoneLength = 15;
    public const int OperatorCodeLength = 3;
    public const int MaxTagLength = 64;
    public const int MaxTimeZoneLength = 64;

    public void Configure(EntityTypeBuilder<Client> client)
    {
        client.ToTable("clients");
        client.HasKey(c => c.Id);
        client.Property(c => c.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        client.Property(c => c.Phone).HasColumnName("phone").HasMaxLength(MaxPhoneLength);
        client.Property(c => c.OperatorCode).HasColumnName("operator_code").HasMaxLength(OperatorCodeLength).IsFixedLength();
        client.Property(c => c.Tag).HasColumnName("tag").HasMaxLength(MaxTagLength);
        client.Property(c => c.TimeZone).HasColumnName("timezone").HasMaxLength(MaxTimeZoneLength);
        client.Property(c => c.CreatedAt).HasColumnName("created_at");
        client.Property(c => c.CreatedBy).IsCreatedByColumn();
        client.Property(c => c.UpdatedAt).HasColumnName("updated_at");

        client.HasIndex(c => c.Phone).IsUnique().HasDatabaseName("ux_clients_phone");
        // A mailing's filter and the list's filters: operator code and tag, then id for a stable order.
        client.HasIndex(c => new { c.OperatorCode, c.Tag, c.Id }).HasDatabaseName("ix_clients_operator_code_tag_id");
        client.HasIndex(c => new { c.Tag, c.Id }).HasDatabaseName("ix_clients_tag_id");
        // The list's search by phone prefix (LIKE '7916%'): the unique index serves LIKE only under the C collation.
        client.HasIndex(c => c.Phone, "ix_clients_phone_prefix").HasOperators("varchar_pattern_ops");
    }
}
