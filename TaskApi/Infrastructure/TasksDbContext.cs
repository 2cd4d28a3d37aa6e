using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Audit;
using TaskApi.Features.Campaigns;
using TaskApi.Features.Clients;
using TaskApi.Features.DeadLetters;
using TaskApi.Features.Lists;
using TaskApi.Features.Schedules;
using TaskApi.Features.Mailings;
using TaskApi.Features.Notifications;
using TaskApi.Features.Templates;
using TaskApi.Features.Users;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Model;

namespace TaskApi.Infrastructure;

public sealed class TasksDbContext(DbContextOptions<TasksDbContext> options) : DbContext(options)
{
    public DbSet<TaskItem> Tasks => Set<TaskItem>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Client> Clients => Set<Client>();
    public DbSet<Mailing> Mailings => Set<Mailing>();
    public DbSet<SmsMessage> SmsMessages => Set<SmsMessage>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<EmailMessage> EmailMessages => Set<EmailMessage>();
    public DbSet<SubscriberList> SubscriberLists => Set<SubscriberList>();
    public DbSet<Subscriber> Subscribers => Set<Subscriber>();
    public DbSet<EmailTemplate> EmailTemplates => Set<EmailTemplate>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();
    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var task = modelBuilder.Entity<TaskItem>();
        task.ToTable("tasks");
        task.HasKey(t => t.Id);
        task.Property(t => t.Id).HasColumnName("id").ValueGeneratedNever();
        task.Property(t => t.Name).HasColumnName("name").HasMaxLength(200);
        // json, not jsonb: json keeps the client's text verbatim and accepts every escape (jsonb rejects \u0000).
        task.Property(t => t.Payload).HasColumnName("payload").HasColumnType("json");
        // Stored as the same words the API uses ("in_progress"), so the table reads like the API.
        task.Property(t => t.Status).IsStatusColumn("status");
        task.Property(t => t.CreatedAt).HasColumnName("created_at");
        task.Property(t => t.StartedAt).HasColumnName("started_at");
        task.Property(t => t.FinishedAt).HasColumnName("finished_at");
        task.Property(t => t.Error).HasColumnName("error");
        task.Property(t => t.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(200);
        task.Property(t => t.CreatedBy).IsCreatedByColumn();
        task.Property(t => t.ScheduledFor).HasColumnName("scheduled_for");
        task.Property(t => t.Attempts).HasColumnName("attempts");
        task.Property(t => t.MaxAttempts).HasColumnName("max_attempts");

        // The list endpoint sorts newest first, optionally filtered by status.
        task.HasIndex(t => new { t.CreatedAt, t.Id }).IsDescending().HasDatabaseName("ix_tasks_created_at_id");
        task.HasIndex(t => new { t.Status, t.CreatedAt, t.Id }).IsDescending(false, true, true)
            .HasDatabaseName("ix_tasks_status_created_at_id");
        // An app lists only its own tasks (CreatorVisibility), newest first: without the creator first, its page would be
        // found by reading every caller's tasks in the newest-first index until enough of its own turned up.
        task.HasIndex(t => new { t.CreatedBy, t.CreatedAt, t.Id }).IsDescending(false, true, true)
            .HasDatabaseName("ix_tasks_created_by_created_at_id");
        // Idempotency keys are each creator's own: two apps sending the same key create two tasks.
        task.HasIndex(t => new { t.CreatedBy, t.IdempotencyKey }).IsUnique().HasDatabaseName("ux_tasks_created_by_idempotency_key");
        // Reconciliation looks for tasks still waiting for the Scheduler.
        task.HasIndex(t => t.ScheduledFor).HasFilter("status = 'new' AND scheduled_for IS NOT NULL").HasDatabaseName("ix_tasks_waiting_scheduled_for");
        // The list's name filter (a prefix: LIKE 'x%', whatever the database's collation): a rare prefix is found here
        // and sorted, a common one by reading the newest-first index.
        task.HasIndex(t => t.Name).HasOperators("varchar_pattern_ops").HasDatabaseName("ix_tasks_name");
        // The overview's counts by status: an index-only scan of this small index (deduplicated: a few bytes a task)
        // instead of the table or the wider (status, created_at, id).
        task.HasIndex(t => t.Status).HasDatabaseName("ix_tasks_status");
        // The overview's finished per minute: the last hour is a short range of this index.
        task.HasIndex(t => t.FinishedAt).HasFilter("finished_at IS NOT NULL").HasDatabaseName("ix_tasks_finished_at");

        var outbox = modelBuilder.Entity<OutboxMessage>();
        outbox.ToTable("outbox_messages");
        outbox.HasKey(m => m.Id);
        outbox.Property(m => m.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        outbox.Property(m => m.Topic).HasColumnName("topic").HasMaxLength(249);
        outbox.Property(m => m.Key).HasColumnName("message_key");
        outbox.Property(m => m.Value).HasColumnName("message_value");
        outbox.Property(m => m.TraceParent).HasColumnName("trace_parent").HasMaxLength(55);
        outbox.Property(m => m.Headers).IsHeadersColumn("headers");
        outbox.Property(m => m.Express).HasColumnName("express").HasDefaultValue(false);
        outbox.Property(m => m.CreatedAt).HasColumnName("created_at");
        outbox.Property(m => m.SentAt).HasColumnName("sent_at");
        outbox.Property(m => m.SetAsideAt).HasColumnName("set_aside_at");
        outbox.Property(m => m.SetAsideReason).HasColumnName("set_aside_reason").HasMaxLength(OutboxRelay.MaxSetAsideReasonLength);
        // The relay only ever looks for unsent records it has not set aside, oldest first.
        outbox.HasIndex(m => m.Id).HasFilter("sent_at IS NULL AND set_aside_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
        // The express lane: the relay reads these first, without passing over the backlog's unsent rows.
        outbox.HasIndex(m => m.Id, "ix_outbox_messages_unsent_express").HasFilter("express AND sent_at IS NULL AND set_aside_at IS NULL");
        outbox.HasIndex(m => m.SetAsideAt).HasFilter("set_aside_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_set_aside_at");
        outbox.HasIndex(m => m.SentAt).HasFilter("sent_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_sent_at");

        // The features' own tables, configured beside their entities.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TasksDbContext).Assembly);
        modelBuilder.HasSequence<long>(Features.Feed.FeedNotices.SequenceName);
        // Trigram indexes, for the dead letters' reason filter (a substring anywhere in the text).
        modelBuilder.HasPostgresExtension("pg_trgm");

        var audit = modelBuilder.Entity<AuditEntry>();
        audit.ToTable("audit_log");
        audit.HasKey(e => e.Id);
        audit.Property(e => e.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        audit.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        audit.Property(e => e.ActorId).HasColumnName("actor_id").HasMaxLength(200);
        audit.Property(e => e.ActorKind).HasColumnName("actor_kind").HasMaxLength(20);
        audit.Property(e => e.ActorName).HasColumnName("actor_name").HasMaxLength(200);
        audit.Property(e => e.Action).HasColumnName("action").HasMaxLength(300);
        audit.Property(e => e.Entity).HasColumnName("entity").HasMaxLength(300);
        audit.Property(e => e.ClientAddress).HasColumnName("client_address").HasMaxLength(64);
        audit.Property(e => e.Status).HasColumnName("status");
        audit.Property(e => e.Detail).HasColumnName("detail").HasMaxLength(1000);
        audit.Property(e => e.Source).HasColumnName("source").HasMaxLength(20);
        audit.Property(e => e.SourceId).HasColumnName("source_id");
        // The list, newest first, unfiltered and by actor; an entity prefix (LIKE 'prefix%') is served by a pattern index.
        audit.HasIndex(e => new { e.OccurredAt, e.Id }).IsDescending().HasDatabaseName("ix_audit_log_occurred_at");
        audit.HasIndex(e => new { e.ActorId, e.OccurredAt }).IsDescending(false, true).HasDatabaseName("ix_audit_log_actor");
        audit.HasIndex(e => e.Entity).HasOperators("text_pattern_ops").HasDatabaseName("ix_audit_log_entity");
        // An event copied from the identity service is stored once, however many TaskApi instances copy it.
        audit.HasIndex(e => new { e.Source, e.SourceId }).IsUnique().HasFilter("source_id IS NOT NULL").HasDatabaseName("ux_audit_log_source");
    }
}
