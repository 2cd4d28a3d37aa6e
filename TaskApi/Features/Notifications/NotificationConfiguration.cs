using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaskApi.Features.Tasks.CreateTask;
using TaskApi.Features.Users;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Notifications;

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public const int MaxTitleLength = 200;

    /// <summary>A template's subject may be longer than a title given in the request.</summary>
    public const int MaxStoredTitleLength = Templates.EmailTemplateConfiguration.MaxSubjectLength;

    public const int MaxTextLength = 10_000;

    public void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.ToTable("notifications");
        notification.HasKey(n => n.Id);
        notification.Property(n => n.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        notification.Property(n => n.CreatedBy).IsCreatedByColumn();
        notification.Property(n => n.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(CreateTaskValidator.MaxIdempotencyKeyLength);
        notification.Property(n => n.Title).HasColumnName("title").HasMaxLength(MaxStoredTitleLength);
        notification.Property(n => n.Text).HasColumnName("text").HasMaxLength(MaxTextLength);
        notification.Property(n => n.Html).HasColumnName("html");
        notification.Property(n => n.TemplateId).HasColumnName("template_id");
        // json, not jsonb: kept verbatim, every escape accepted (as tasks' payloads).
        notification.Property(n => n.Data).HasColumnName("data").HasColumnType("json");
        notification.Property(n => n.Channels).HasColumnName("channels");
        notification.Property(n => n.Express).HasColumnName("express");
        notification.Property(n => n.SendAt).HasColumnName("send_at");
        notification.Property(n => n.Status).IsStatusColumn("status");
        notification.Property(n => n.CreatedAt).HasColumnName("created_at");
        notification.Property(n => n.UpdatedAt).HasColumnName("updated_at");

        // Idempotency keys are each creator's own, as tasks' are.
        notification.HasIndex(n => new { n.CreatedBy, n.IdempotencyKey }).IsUnique().HasDatabaseName("ux_notifications_created_by_idempotency_key");
        // The list, newest first, optionally of one status; an app's list by its own notifications first.
        notification.HasIndex(n => new { n.Status, n.Id }).IsDescending(false, true).HasDatabaseName("ix_notifications_status_id");
        notification.HasIndex(n => new { n.CreatedBy, n.Id }).IsDescending(false, true).HasDatabaseName("ix_notifications_created_by_id");
    }
}

public sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public const int MaxErrorLength = 1000;

    public void Configure(EntityTypeBuilder<NotificationDelivery> delivery)
    {
        delivery.ToTable("notification_deliveries");
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        delivery.Property(d => d.NotificationId).HasColumnName("notification_id");
        // The users' collation, so a join on the id compares as the users table does.
        delivery.Property(d => d.UserId).HasColumnName("user_id").HasMaxLength(UserConfiguration.MaxUserIdLength).UseCollation("C");
        delivery.Property(d => d.Channel).IsStatusColumn("channel");
        delivery.Property(d => d.Status).IsStatusColumn("status");
        delivery.Property(d => d.Reason).HasColumnName("reason").HasMaxLength(StatusColumnExtensions.MaxStatusLength)
            .HasConversion(reason => StatusNames<DeliveryReason>.Of(reason!.Value), name => StatusNames<DeliveryReason>.Parse(name));
        delivery.Property(d => d.Address).HasColumnName("address").HasMaxLength(EmailAddresses.MaxLength);
        delivery.Property(d => d.Attempts).HasColumnName("attempts");
        delivery.Property(d => d.LastError).HasColumnName("last_error").HasMaxLength(MaxErrorLength);
        delivery.Property(d => d.Dispatch).HasColumnName("dispatch").HasDefaultValue(0);
        delivery.Property(d => d.DispatchedAt).HasColumnName("dispatched_at");
        delivery.Property(d => d.DueAt).HasColumnName("due_at");
        delivery.Property(d => d.SentAt).HasColumnName("sent_at");
        delivery.Property(d => d.ReadAt).HasColumnName("read_at");
        delivery.Property(d => d.FeedSeq).HasColumnName("feed_seq");
        delivery.Property(d => d.CreatedAt).HasColumnName("created_at");

        // No foreign key to notifications (never deleted): its check of every row would slow a 30,000-row creation.
        // One delivery per user and channel: the request's ids are distinct and one statement writes them all.
        // A notification's deliveries of one status in id order (the list; cancelling the pending ones; the counts).
        delivery.HasIndex(d => new { d.NotificationId, d.Status, d.Id }).HasDatabaseName("ix_notification_deliveries_notification_id_status_id");
        // A notification's deliveries on one channel in id order (the list by channel).
        delivery.HasIndex(d => new { d.NotificationId, d.Channel, d.Id }).HasDatabaseName("ix_notification_deliveries_notification_id_channel_id");
        // A user's deliveries on a channel (erasure of a user's addresses).
        delivery.HasIndex(d => new { d.UserId, d.Channel, d.Id }).IsDescending(false, false, true)
            .HasDatabaseName("ix_notification_deliveries_user_id_channel_id");
        // The in-app feed: a user's deliveries that reached it in feed order (the list newest first by a backward scan,
        // the stream's resume after an event id), and the unread ones (the count, the list of unread, read-all).
        delivery.HasIndex(d => new { d.UserId, d.FeedSeq }, "ix_notification_deliveries_feed").HasFilter("feed_seq IS NOT NULL");
        delivery.HasIndex(d => new { d.UserId, d.FeedSeq }, "ix_notification_deliveries_feed_unread").HasFilter("feed_seq IS NOT NULL AND read_at IS NULL");
        // The per-user cap: a user's deliveries dispatched in the last hour.
        delivery.HasIndex(d => new { d.UserId, d.DispatchedAt }).HasFilter("dispatched_at IS NOT NULL")
            .HasDatabaseName("ix_notification_deliveries_user_id_dispatched_at");
        // The overview: counts by status (an index-only scan of this small index) and sent per minute over the last hour.
        delivery.HasIndex(d => d.Status).HasDatabaseName("ix_notification_deliveries_status");
        delivery.HasIndex(d => d.SentAt).HasFilter("sent_at IS NOT NULL").HasDatabaseName("ix_notification_deliveries_sent_at");
    }
}
