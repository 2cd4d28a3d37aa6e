using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings;

public sealed class MailingConfiguration : IEntityTypeConfiguration<Mailing>
{
    public const int MaxTextLength = 1000;

    public void Configure(EntityTypeBuilder<Mailing> mailing)
    {
        mailing.ToTable("mailings");
        mailing.HasKey(m => m.Id);
        mailing.Property(m => m.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        mailing.Property(m => m.Text).HasColumnName("text").HasMaxLength(MaxTextLength);
        mailing.Property(m => m.StartAt).HasColumnName("start_at");
        mailing.Property(m => m.EndAt).HasColumnName("end_at");
        mailing.Property(m => m.OperatorCodes).HasColumnName("operator_codes");
        mailing.Property(m => m.Tags).HasColumnName("tags");
        mailing.OwnsOne(m => m.SendWindow, window =>
        {
            window.Property(w => w.From).HasColumnName("window_from");
            window.Property(w => w.To).HasColumnName("window_to");
        });
        mailing.Property(m => m.Status).IsStatusColumn("status");
        mailing.Property(m => m.CreatedAt).HasColumnName("created_at");
        mailing.Property(m => m.CreatedBy).IsCreatedByColumn();
        mailing.Property(m => m.StartedAt).HasColumnName("started_at");
        mailing.Property(m => m.FinishedAt).HasColumnName("finished_at");
        mailing.Property(m => m.TimesVersion).HasColumnName("times_version");
        mailing.Property(m => m.FirstSentAt).HasColumnName("first_sent_at");
        mailing.Property(m => m.LastSentAt).HasColumnName("last_sent_at");
        mailing.ComplexProperty(m => m.Counts, counts =>
        {
            counts.Property(c => c.Pending).HasColumnName("messages_pending");
            counts.Property(c => c.Sent).HasColumnName("messages_sent");
            counts.Property(c => c.Failed).HasColumnName("messages_failed");
            counts.Property(c => c.Expired).HasColumnName("messages_expired");
            counts.Property(c => c.Cancelled).HasColumnName("messages_cancelled");
        });

        // The list: newest first, optionally of one status.
        mailing.HasIndex(m => new { m.Status, m.Id }).IsDescending(false, true).HasDatabaseName("ix_mailings_status_id");
    }
}

public sealed class SmsMessageConfiguration : IEntityTypeConfiguration<SmsMessage>
{
    public const int MaxErrorLength = 1000;

    public void Configure(EntityTypeBuilder<SmsMessage> message)
    {
        message.ToTable("sms_messages");
        message.HasKey(m => m.Id);
        message.Property(m => m.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        message.Property(m => m.MailingId).HasColumnName("mailing_id");
        message.Property(m => m.ClientId).HasColumnName("client_id");
        message.Property(m => m.Phone).HasColumnName("phone").HasMaxLength(Clients.ClientConfiguration.MaxPhoneLength);
        message.Property(m => m.TimeZone).HasColumnName("timezone").HasMaxLength(Clients.ClientConfiguration.MaxTimeZoneLength);
        message.Property(m => m.Status).IsStatusColumn("status");
        message.Property(m => m.Attempts).HasColumnName("attempts");
        message.Property(m => m.Dispatch).HasColumnName("dispatch");
        message.Property(m => m.DueAt).HasColumnName("due_at");
        message.Property(m => m.CreatedAt).HasColumnName("created_at");
        message.Property(m => m.SentAt).HasColumnName("sent_at");
        message.Property(m => m.FinishedAt).HasColumnName("finished_at");
        message.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(MaxErrorLength);

        // No foreign key to mailings (they are never deleted): its check of every row took a fifth of a 100,000-message start.
        // One message per client per mailing: starting a mailing twice creates nothing new.
        message.HasIndex(m => new { m.MailingId, m.ClientId }).IsUnique().HasDatabaseName("ux_sms_messages_mailing_id_client_id");
        // A mailing's messages of one status, in id order (the messages list; expiring and cancelling the pending ones).
        message.HasIndex(m => new { m.MailingId, m.Status, m.Id }).HasDatabaseName("ix_sms_messages_mailing_id_status_id");
        // Reconciliation: pending messages waiting for the Scheduler.
        message.HasIndex(m => m.DueAt).HasFilter("status = 'pending' AND due_at IS NOT NULL").HasDatabaseName("ix_sms_messages_waiting_due_at");
        // The overview's finished per minute: the last hour is a short range of this index.
        message.HasIndex(m => m.FinishedAt).HasFilter("finished_at IS NOT NULL").HasDatabaseName("ix_sms_messages_finished_at");
    }
}
