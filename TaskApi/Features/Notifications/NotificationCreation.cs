using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Features.Notifications.Dispatch;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>What creating a notification came to: the notification, its deliveries counted, and whether it is new.</summary>
/// <param name="Notification">The new notification, or the one the creator's idempotency key already named.</param>
/// <param name="Counts">Its deliveries by channel and status, after its first dispatch.</param>
/// <param name="Created">The deliveries made, by channel and status (pending or skipped); empty when the idempotency key named an earlier notification.</param>
/// <param name="Dispatch">What its dispatch at creation did; null when nothing was created or nothing is pending.</param>
public sealed record NotificationCreated(Notification Notification, List<DeliveryCount> Counts, List<DeliveryCount> Created, DispatchOutcome? Dispatch)
{
    public bool IsNew => Created.Count > 0;
}

/// <summary>
/// The one way notifications are created (the POST now, schedules' occurrences next): in the caller's transaction, the
/// notification (skipped when its creator's idempotency key names one already), then every delivery with one
/// statement (<see cref="NotificationDeliveries.CreateAsync"/>); a notification whose deliveries are all skipped is done,
/// any other is dispatched at once or, with a send time ahead, scheduled (<see cref="NotificationDispatch.StartAsync"/>).
/// </summary>
public static class NotificationCreation
{
    private const string InsertSql = """
        INSERT INTO notifications (created_by, idempotency_key, title, text, html, template_id, data, channels, express, send_at, status, created_at, updated_at)
        VALUES (@created_by, @idempotency_key, @title, @text, @html, @template_id, @data, @channels, @express, @send_at, @status, @now, @now)
        ON CONFLICT (created_by, idempotency_key) DO NOTHING
        RETURNING id
        """;

    /// <summary>Stores <paramref name="notification"/> (its id not yet set) and its deliveries to <paramref name="userIds"/> (distinct), and dispatches it.</summary>
    public static async Task<NotificationCreated> CreateAsync(
        TasksDbContext db, NotificationDispatch dispatch, Notification notification, string[] userIds, CancellationToken ct)
    {
        var id = await InsertAsync(db, notification, ct);
        if (id is null)
        {
            var existing = await db.Notifications.AsNoTracking()
                .SingleAsync(n => n.CreatedBy == notification.CreatedBy && n.IdempotencyKey == notification.IdempotencyKey, ct);
            return new NotificationCreated(existing, await NotificationDeliveries.CountAsync(db, existing.Id, ct), [], null);
        }

        notification.Id = id.Value;
        var created = await NotificationDeliveries.CreateAsync(db, notification, userIds, notification.CreatedAt, ct);
        if (created.All(c => c.Status == DeliveryStatus.Skipped))
        {
            notification.Status = NotificationStatus.Done;
            await db.Notifications.Where(n => n.Id == notification.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(n => n.Status, NotificationStatus.Done), ct);
            return new NotificationCreated(notification, created, created, null);
        }
        // The send records continue the creating request's trace.
        var outcome = await dispatch.StartAsync(db, notification, Activity.Current?.Id, notification.CreatedAt, ct);
        var counts = outcome.Decisions.Count == 0 ? created : await NotificationDeliveries.CountAsync(db, notification.Id, ct);
        return new NotificationCreated(notification, counts, created, outcome);
    }

    private static async Task<long?> InsertAsync(TasksDbContext db, Notification notification, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(InsertSql, connection)
            {
                Parameters =
                {
                    new("created_by", NpgsqlDbType.Varchar) { Value = (object?)notification.CreatedBy ?? DBNull.Value },
                    new("idempotency_key", NpgsqlDbType.Varchar) { Value = (object?)notification.IdempotencyKey ?? DBNull.Value },
                    new("title", notification.Title),
                    new("text", notification.Text),
                    new("html", NpgsqlDbType.Text) { Value = (object?)notification.Html ?? DBNull.Value },
                    new("template_id", NpgsqlDbType.Bigint) { Value = (object?)notification.TemplateId ?? DBNull.Value },
                    new("data", NpgsqlDbType.Json) { Value = (object?)notification.Data ?? DBNull.Value },
                    new("channels", notification.Channels),
                    new("express", notification.Express),
                    new("send_at", NpgsqlDbType.TimestampTz) { Value = (object?)notification.SendAt ?? DBNull.Value },
                    new("status", StatusNames<NotificationStatus>.Of(notification.Status)),
                    new("now", notification.CreatedAt),
                },
            };
            return await command.ExecuteScalarAsync(ct) is long id ? id : null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
