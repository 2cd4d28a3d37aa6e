using NpgsqlTypes;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Users;

/// <summary>
/// Stores users with one statement (<see cref="CountedUpsert"/>), for <c>PUT /users/{userId}</c> (one row) and
/// <c>POST /users/import</c> alike: a new id creates a user, a known one has every field replaced. The caller is the
/// creator of the users it creates only: a replaced user keeps its creator and creation time.
/// </summary>
public static class UserUpsert
{
    private const string UpsertSql = """
        INSERT INTO users (user_id, email, phone, name, timezone, email_enabled, sms_enabled, in_app_enabled,
                           quiet_hours_from, quiet_hours_to, created_at, created_by, updated_at)
        SELECT user_id, email, phone, name, timezone, email_enabled, sms_enabled, in_app_enabled, quiet_hours_from, quiet_hours_to,
               @now, @caller, @now
        FROM unnest(@user_ids, @emails, @phones, @names, @timezones, @email_enabled, @sms_enabled, @in_app_enabled,
                    @quiet_hours_from, @quiet_hours_to)
            AS input(user_id, email, phone, name, timezone, email_enabled, sms_enabled, in_app_enabled, quiet_hours_from, quiet_hours_to)
        ON CONFLICT (user_id) DO UPDATE
            SET email = EXCLUDED.email, phone = EXCLUDED.phone, name = EXCLUDED.name, timezone = EXCLUDED.timezone,
                email_enabled = EXCLUDED.email_enabled, sms_enabled = EXCLUDED.sms_enabled, in_app_enabled = EXCLUDED.in_app_enabled,
                quiet_hours_from = EXCLUDED.quiet_hours_from, quiet_hours_to = EXCLUDED.quiet_hours_to, updated_at = EXCLUDED.updated_at
        """;

    /// <summary>Upserts <paramref name="users"/> (whose ids are distinct) by id; returns how many were created and how many replaced.</summary>
    public static async Task<(int Created, int Updated)> UpsertAsync(
        TasksDbContext db, IEnumerable<User> users, string caller, DateTimeOffset now, CancellationToken ct)
    {
        // In id order, so concurrent imports lock the rows they share in the same order and cannot deadlock.
        var rows = users.OrderBy(u => u.UserId, StringComparer.Ordinal).ToList();
        return await CountedUpsert.ExecuteAsync(db, UpsertSql,
        [
            new("user_ids", rows.Select(u => u.UserId).ToArray()),
            NpgsqlArrays.Of("emails", NpgsqlDbType.Varchar, rows.Select(u => u.Email)),
            NpgsqlArrays.Of("phones", NpgsqlDbType.Varchar, rows.Select(u => u.Phone)),
            NpgsqlArrays.Of("names", NpgsqlDbType.Varchar, rows.Select(u => u.Name)),
            new("timezones", rows.Select(u => u.TimeZone).ToArray()),
            new("email_enabled", rows.Select(u => u.EmailEnabled).ToArray()),
            new("sms_enabled", rows.Select(u => u.SmsEnabled).ToArray()),
            new("in_app_enabled", rows.Select(u => u.InAppEnabled).ToArray()),
            NpgsqlArrays.Of("quiet_hours_from", NpgsqlDbType.Time, rows.Select(u => u.QuietHoursFrom)),
            NpgsqlArrays.Of("quiet_hours_to", NpgsqlDbType.Time, rows.Select(u => u.QuietHoursTo)),
            new("caller", caller),
            new("now", now),
        ], ct);
    }
}
