using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Lists;

public sealed class SubscriberListConfiguration : IEntityTypeConfiguration<SubscriberList>
{
    public const int MaxNameLength = 200;

    public void Configure(EntityTypeBuilder<SubscriberList> list)
    {
        list.ToTable("subscriber_lists");
        list.HasKey(l => l.Id);
        list.Property(l => l.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        list.Property(l => l.Name).HasColumnName("name").HasMaxLength(MaxNameLength);
        list.Property(l => l.CreatedAt).HasColumnName("created_at");
        list.Property(l => l.CreatedBy).IsCreatedByColumn();
        list.Property(l => l.UpdatedAt).HasColumnName("updated_at");
    }
}

public sealed class SubscriberConfiguration : IEntityTypeConfiguration<Subscriber>
{
    public const int MaxNameLength = 200;
    public const string NoFields = "{}";

    /// <summary>The name of the index that makes an address unique within its list.</summary>
    public const string UniqueAddressIndex = "ux_subscribers_list_id_normalized_email";

    public void Configure(EntityTypeBuilder<Subscriber> subscriber)
    {
        subscriber.ToTable("subscribers");
        subscriber.HasKey(s => s.Id);
        subscriber.Property(s => s.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        subscriber.Property(s => s.ListId).HasColumnName("list_id");
        subscriber.Property(s => s.Email).HasColumnName("email").HasMaxLength(EmailAddresses.MaxLength);
        subscriber.Property(s => s.NormalizedEmail).HasColumnName("normalized_email").HasMaxLength(EmailAddresses.MaxLength);
        subscriber.Property(s => s.Name).HasColumnName("name").HasMaxLength(MaxNameLength);
        subscriber.Property(s => s.Fields).HasColumnName("fields").HasColumnType("jsonb").HasDefaultValueSql($"'{NoFields}'::jsonb");
        subscriber.Property(s => s.Status).IsStatusColumn("status");
        subscriber.Property(s => s.UnsubscribedAt).HasColumnName("unsubscribed_at");
        subscriber.Property(s => s.CreatedAt).HasColumnName("created_at");
        subscriber.Property(s => s.UpdatedAt).HasColumnName("updated_at");

        // A list's subscribers go with it.
        subscriber.HasOne<SubscriberList>().WithMany().HasForeignKey(s => s.ListId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_subscribers_subscriber_lists_list_id");
        // Imports upsert by it; unsubscribing looks an address up by it.
        subscriber.HasIndex(s => new { s.ListId, s.NormalizedEmail }).IsUnique().HasDatabaseName(UniqueAddressIndex);
        // A campaign's fan-out (list_id = ANY(...) AND status = 'subscribed'), the lists' counts and the subscribers
        // list filtered by status, in id order.
        subscriber.HasIndex(s => new { s.ListId, s.Status, s.Id }).HasDatabaseName("ix_subscribers_list_id_status_id");
    }
}
