using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Campaigns;

public sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public const int MaxNameLength = 200;
    public const int MaxMessageLength = 10_000;
    public const int MaxSubjectLength = 998;
    public const int MaxEmailLength = 254;

    public void Configure(EntityTypeBuilder<Campaign> campaign)
    {
        campaign.ToTable("campaigns");
        campaign.HasKey(c => c.Id);
        campaign.Property(c => c.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        campaign.Property(c => c.Name).HasColumnName("name").HasMaxLength(MaxNameLength);
        campaign.Property(c => c.TemplateId).HasColumnName("template_id");
        campaign.Property(c => c.ListIds).HasColumnName("list_ids");
        campaign.Property(c => c.FromEmail).HasColumnName("from_email").HasMaxLength(MaxEmailLength);
        campaign.Property(c => c.FromName).HasColumnName("from_name").HasMaxLength(MaxNameLength);
        campaign.Property(c => c.Message).HasColumnName("message").HasMaxLength(MaxMessageLength);
        campaign.Property(c => c.Subject).HasColumnName("subject").HasMaxLength(MaxSubjectLength);
        campaign.Property(c => c.SendAt).HasColumnName("send_at");
        campaign.Property(c => c.Status).IsStatusColumn("status");
        campaign.Property(c => c.CreatedAt).HasColumnName("created_at");
        campaign.Property(c => c.CreatedBy).IsCreatedByColumn();
        campaign.Property(c => c.StartedAt).HasColumnName("started_at");
        campaign.Property(c => c.FinishedAt).HasColumnName("finished_at");
        campaign.ComplexProperty(c => c.Counts, counts =>
        {
            counts.Property(c => c.Pending).HasColumnName("messages_pending");
            counts.Property(c => c.Sent).HasColumnName("messages_sent");
            counts.Property(c => c.Failed).HasColumnName("messages_failed");
            counts.Property(c => c.Cancelled).HasColumnName("messages_cancelled");
            counts.Ignore(c => c.Total);
        });

        // The list: newest first, optionally of one status.
        campaign.HasIndex(c => new { c.Status, c.Id }).IsDescending(false, true).HasDatabaseName("ix_campaigns_status_id");
        // A template or list in use by a campaign not yet sent cannot be deleted (no foreign key: a sent campaign's
        // template may go).
        campaign.HasIndex(c => c.TemplateId).HasDatabaseName("ix_campaigns_template_id");
        campaign.HasIndex(c => c.ListIds).HasMethod("gin").HasDatabaseName("ix_campaigns_list_ids");
    }
}

public sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public const int MaxErrorLength = 1000;

    public void Configure(EntityTypeBuilder<EmailMessage> message)
    {
        message.ToTable("email_messages");
        message.HasKey(m => m.Id);
        message.Property(m => m.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        message.Property(m => m.CampaignId).HasColumnName("campaign_id");
        message.Property(m => m.ReportDate).HasColumnName("report_date");
        message.Property(m => m.Email).HasColumnName("email").HasMaxLength(CampaignConfiguration.MaxEmailLength);
        message.Property(m => m.Name).HasColumnName("name").HasMaxLength(CampaignConfiguration.MaxNameLength);
        message.Property(m => m.Fields).HasColumnName("fields").HasColumnType("jsonb");
        message.Property(m => m.Content).HasColumnName("content").HasColumnType("jsonb");
        message.Property(m => m.Status).IsStatusColumn("status");
        message.Property(m => m.Attempts).HasColumnName("attempts");
        message.Property(m => m.Dispatch).HasColumnName("dispatch");
        message.Property(m => m.DueAt).HasColumnName("due_at");
        message.Property(m => m.CreatedAt).HasColumnName("created_at");
        message.Property(m => m.SentAt).HasColumnName("sent_at");
        message.Property(m => m.FinishedAt).HasColumnName("finished_at");
        message.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(MaxErrorLength);
        message.Property(m => m.FirstOpenedAt).HasColumnName("first_opened_at");
        message.Property(m => m.Opens).HasColumnName("opens");
        message.Property(m => m.FirstClickedAt).HasColumnName("first_clicked_at");
        message.Property(m => m.Clicks).HasColumnName("clicks");
        message.Property(m => m.UnsubscribedAt).HasColumnName("unsubscribed_at");

        // A campaign's messages of one status in id order (the messages list, cancelling the pending ones, statistics).
        message.HasIndex(m => new { m.CampaignId, m.Status, m.Id }).HasDatabaseName("ix_email_messages_campaign_id_status_id");
        // One report email per day and recipient: a report handled twice sends nothing new.
        message.HasIndex(m => new { m.ReportDate, m.Email }).IsUnique().HasFilter("report_date IS NOT NULL")
            .HasDatabaseName("ux_email_messages_report_date_email");
        // Reconciliation: pending messages waiting for a retry through the Scheduler.
        message.HasIndex(m => m.DueAt).HasFilter("status = 'pending' AND due_at IS NOT NULL").HasDatabaseName("ix_email_messages_waiting_due_at");
        // The overview's finished per minute: the last hour is a short range of this index.
        message.HasIndex(m => m.FinishedAt).HasFilter("finished_at IS NOT NULL").HasDatabaseName("ix_email_messages_finished_at");
        // A campaign's activity over time (sent, first opens, first clicks per minute or hour): each series is a range
        // of its own index, never the campaign's rows.
        message.HasIndex(m => new { m.CampaignId, m.SentAt }).HasFilter("sent_at IS NOT NULL").HasDatabaseName("ix_email_messages_campaign_id_sent_at");
        message.HasIndex(m => new { m.CampaignId, m.FirstOpenedAt }).HasFilter("first_opened_at IS NOT NULL")
            .HasDatabaseName("ix_email_messages_campaign_id_first_opened_at");
        message.HasIndex(m => new { m.CampaignId, m.FirstClickedAt }).HasFilter("first_clicked_at IS NOT NULL")
            .HasDatabaseName("ix_email_messages_campaign_id_first_clicked_at");
    }
}
