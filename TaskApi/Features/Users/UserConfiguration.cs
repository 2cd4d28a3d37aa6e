using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaskApi.Features.Clients;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Users;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public const int MaxUserIdLength = 128;
    public const int MaxNameLength = 200;

    public void Configure(EntityTypeBuilder<User> user)
    {
        user.ToTable("users", table => table.HasCheckConstraint("ck_users_quiet_hours_both_or_neither",
            "(quiet_hours_from IS NULL) = (quiet_hours_to IS NULL)"));
        user.HasKey(u => u.UserId);
        // Byte order, whatever the database's default collation: the list's order and its cursor (user_id > after)
        // are then the same on every server, and the primary key's index serves both.
        user.Property(u => u.UserId).HasColumnName("user_id").HasMaxLength(MaxUserIdLength).UseCollation("C");
        user.Property(u => u.Email).HasColumnName("email").HasMaxLength(EmailAddresses.MaxLength);
        user.Property(u => u.Phone).HasColumnName("phone").HasMaxLength(ClientConfiguration.MaxPhoneLength);
        user.Property(u => u.Name).HasColumnName("name").HasMaxLength(MaxNameLength);
        user.Property(u => u.TimeZone).HasColumnName("timezone").HasMaxLength(ClientConfiguration.MaxTimeZoneLength);
        user.Property(u => u.EmailEnabled).HasColumnName("email_enabled");
        user.Property(u => u.SmsEnabled).HasColumnName("sms_enabled");
        user.Property(u => u.InAppEnabled).HasColumnName("in_app_enabled");
        user.Property(u => u.QuietHoursFrom).HasColumnName("quiet_hours_from");
        user.Property(u => u.QuietHoursTo).HasColumnName("quiet_hours_to");
        user.Property(u => u.CreatedAt).HasColumnName("created_at");
        user.Property(u => u.CreatedBy).IsCreatedByColumn();
        user.Property(u => u.UpdatedAt).HasColumnName("updated_at");
    }
}
