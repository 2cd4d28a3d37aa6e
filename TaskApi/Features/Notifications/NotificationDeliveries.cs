using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>The set-based statements over a notification's deliveries: creating them all, counting, cancelling, erasing a user's addresses.</summary>
public static class NotificationDeliveries
{
    /// <summary>
    /// One delivery per user (in the request's order) and channel, decided against the users table in the same
    /// statement: skipped with no_address for an unknown user, opted_out when the user's preference for the channel is
    /// off, no_address when the user has no email or phone for it (in-app needs none); else pending with the address
    /// copied. Answers the deliveries made, counted by channel and status.
    /// </summary>
    private const string CreateSql = """
        WITH planned AS (
            SELECT input.user_id, input.position, channel.name AS channel, channel.position AS channel_position,
                   CASE
                       WHEN u.user_id IS NULL THEN 'no_address'
                       WHEN channel.name = 'email' THEN CASE WHEN NOT u.email_enabled THEN 'opted_out' WHEN u.email IS NULL THEN 'no_address' END
                       WHEN channel.name = 'sms' THEN CASE WHEN NOT u.sms_enabled THEN 'opted_out' WHEN u.phone IS NULL THEN 'no_address' END
                       ELSE CASE WHEN NOT u.in_app_enabled THEN 'opted_out' END
                   END AS reason,
                   CASE channel.name WHEN 'email' THEN u.email WHEN 'sms' THEN u.phone END AS address
            FROM unnest(@user_ids::text[]) WITH ORDINALITY AS input(user_id, position)
            CROSS JOIN unnest(@channels::text[]) WITH ORDINALITY AS channel(name, position)
            LEFT JOIN users u ON u.user_id = input.user_id
        ), inserted AS (
            INSERT INTO notification_deliveries (notification_id, user_id, channel, status, reason, address, attempts, created_at)
            SELECT @notification_id, user_id, channel, CASE WHEN reason IS NULL THEN 'pending' ELSE 'skipped' END, reason,
                   CASE WHEN reason IS NULL THEN address END, 0, @now
            FROM planned
            ORDER BY position, channel_position
            RETURNING channel, status
        )
        SELECT channel, status, count(*)::int FROM inserted GROUP BY channel, status
        """;

    private const string CountSql = """
        SELECT channel, status, count(*)::int FROM notification_deliveries WHERE notification_id = @notification_id GROUP BY channel, status
        """;

    /// <summary>Creates the deliveries of <paramref name="notification"/> for <paramref name="userIds"/> (distinct) on its channels.</summary>
    public static Task<List<DeliveryCount>> CreateAsync(TasksDbContext db, Notification notification, string[] userIds, DateTimeOffset now, CancellationToken ct) =>
        CountsAsync(db, CreateSql, notification.Id, ct,
            new NpgsqlParameter("user_ids", userIds), new NpgsqlParameter("channels", notification.Channels), new NpgsqlParameter("now", now));

    /// <summary>The deliveries of a notification by channel and status.</summary>
    public static Task<List<DeliveryCount>> CountAsync(TasksDbContext db, long notificationId, CancellationToken ct) =>
        CountsAsync(db, CountSql, notificationId, ct);

    /// <summary>Cancels the pending deliveries of a notification; answers how many.</summary>
    public static Task<int> CancelPendingAsync(TasksDbContext db, long notificationId, CancellationToken ct) =>
        db.NotificationDeliveries.Where(d => d.NotificationId == notificationId && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.Status, DeliveryStatus.Cancelled), ct);

    /// <summary>Forgets the email addresses and phones a user's deliveries were sent to (the user's erasure).</summary>
    public static Task<int> EraseAddressesAsync(TasksDbContext db, string userId, CancellationToken ct) =>
        db.NotificationDeliveries.Where(d => d.UserId == userId && d.Address != null)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.Address, (string?)null), ct);

    private static async Task<List<DeliveryCount>> CountsAsync(
        TasksDbContext db, string sql, long notificationId, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter("notification_id", notificationId));
            command.Parameters.AddRange(parameters);
            var counts = new List<DeliveryCount>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                counts.Add(new DeliveryCount(StatusNames<DeliveryChannel>.Parse(reader.GetString(0)),
                    StatusNames<DeliveryStatus>.Parse(reader.GetString(1)), reader.GetInt32(2)));
            }
            return counts;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
