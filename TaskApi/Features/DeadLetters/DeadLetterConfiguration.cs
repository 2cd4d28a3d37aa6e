using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.DeadLetters;

public sealed class DeadLetterConfiguration : IEntityTypeConfiguration<DeadLetter>
{
    /// <summary>Kafka's longest topic name.</summary>
    public const int MaxTopicLength = 249;

    /// <summary>What is kept of a reason: the dead-letter writer cuts its own at 8 KiB; a record produced by hand may say more.</summary>
    public const int MaxReasonLength = 8192;

    public void Configure(EntityTypeBuilder<DeadLetter> deadLetter)
    {
        deadLetter.ToTable("dead_letters");
        deadLetter.HasKey(d => d.Id);
        deadLetter.Property(d => d.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        deadLetter.Property(d => d.Topic).HasColumnName("topic").HasMaxLength(MaxTopicLength);
        deadLetter.Property(d => d.Partition).HasColumnName("kafka_partition");
        deadLetter.Property(d => d.Offset).HasColumnName("kafka_offset");
        deadLetter.Property(d => d.DeadLetteredAt).HasColumnName("dead_lettered_at");
        deadLetter.Property(d => d.SourceTopic).HasColumnName("source_topic").HasMaxLength(MaxTopicLength);
        deadLetter.Property(d => d.SourcePartition).HasColumnName("source_partition");
        deadLetter.Property(d => d.SourceOffset).HasColumnName("source_offset");
        deadLetter.Property(d => d.Key).HasColumnName("message_key");
        deadLetter.Property(d => d.Value).HasColumnName("message_value");
        deadLetter.Property(d => d.Headers).IsHeadersColumn("headers").IsRequired();
        deadLetter.Property(d => d.Reason).HasColumnName("reason").HasMaxLength(MaxReasonLength);
        deadLetter.Property(d => d.Truncated).HasColumnName("truncated");
        deadLetter.Property(d => d.OriginalSize).HasColumnName("original_size");
        deadLetter.Property(d => d.ReceivedAt).HasColumnName("received_at");
        deadLetter.Property(d => d.State).IsStatusColumn("state");
        deadLetter.Property(d => d.StateChangedAt).HasColumnName("state_changed_at");
        deadLetter.Property(d => d.StateChangedBy).HasColumnName("state_changed_by").HasMaxLength(CreatedByColumn.MaxLength);

        // A record read twice (a rebalance, a restart before the offset was committed) is stored once. Its timestamp is
        // part of the key because a broker that starts empty (the embedded one at every AppHost start) or a recreated
        // topic hands out the same offsets again for new records, which must not be taken for the old ones.
        deadLetter.HasIndex(d => new { d.Topic, d.Partition, d.Offset, d.DeadLetteredAt }).IsUnique()
            .HasDatabaseName("ux_dead_letters_position");
        // The list, newest first (the primary key backwards), filtered by state, by dead-letter topic or by source topic.
        deadLetter.HasIndex(d => new { d.State, d.Id }).IsDescending(false, true).HasDatabaseName("ix_dead_letters_state_id");
        deadLetter.HasIndex(d => new { d.Topic, d.Id }).IsDescending(false, true).HasDatabaseName("ix_dead_letters_topic_id");
        deadLetter.HasIndex(d => new { d.SourceTopic, d.Id }).IsDescending(false, true).HasDatabaseName("ix_dead_letters_source_topic_id");
        // The reason filter is a case-insensitive substring (ILIKE '%...%'): a trigram index serves it.
        deadLetter.HasIndex(d => d.Reason).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_dead_letters_reason_trgm");
    }
}
