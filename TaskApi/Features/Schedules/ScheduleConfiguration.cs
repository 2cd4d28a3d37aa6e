using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Schedules;

public sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    public const int MaxCronLength = 120;
    public const int MaxTimeZoneLength = 64;

    public void Configure(EntityTypeBuilder<Schedule> schedule)
    {
        schedule.ToTable("schedules");
        schedule.HasKey(s => s.Id);
        schedule.Property(s => s.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        schedule.Property(s => s.Kind).HasColumnName("kind").HasMaxLength(20)
            .HasConversion(kind => ScheduleNames.Of(kind), name => ScheduleNames.Kinds[name]);
        // json, not jsonb, as tasks.payload: a task's payload may hold \u0000, which jsonb refuses.
        schedule.Property(s => s.Target).HasColumnName("target").HasColumnType("json");
        schedule.Property(s => s.Cron).HasColumnName("cron").HasMaxLength(MaxCronLength);
        schedule.Property(s => s.TimeZone).HasColumnName("time_zone").HasMaxLength(MaxTimeZoneLength);
        schedule.Property(s => s.StartAt).HasColumnName("start_at");
        schedule.Property(s => s.EndAt).HasColumnName("end_at");
        schedule.Property(s => s.Misfire).HasColumnName("misfire").HasMaxLength(10)
            .HasConversion(misfire => ScheduleNames.Of(misfire), name => ScheduleNames.Misfires[name]);
        schedule.Property(s => s.Paused).HasColumnName("paused");
        schedule.Property(s => s.Version).HasColumnName("version");
        schedule.Property(s => s.NextOccurrence).HasColumnName("next_occurrence");
        schedule.Property(s => s.LastOccurrence).HasColumnName("last_occurrence");
        schedule.Property(s => s.CreatedAt).HasColumnName("created_at");
        schedule.Property(s => s.CreatedBy).HasColumnName(CreatedByColumn.Name).HasMaxLength(CreatedByColumn.MaxLength);
        schedule.Property(s => s.UpdatedAt).HasColumnName("updated_at");

        // An app lists only its own schedules, newest first (operators read the primary key backwards).
        schedule.HasIndex(s => new { s.CreatedBy, s.Id }).IsDescending(false, true).HasDatabaseName("ix_schedules_created_by_id");
        // The reconciler looks for occurrences due soon or long overdue.
        schedule.HasIndex(s => s.NextOccurrence).HasFilter("next_occurrence IS NOT NULL").HasDatabaseName("ix_schedules_next_occurrence");
    }
}
