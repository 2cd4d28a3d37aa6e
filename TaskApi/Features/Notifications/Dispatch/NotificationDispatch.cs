using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Features.Feed;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Notifications.Dispatch;

/// <summary>What one dispatch of a notification did, for the log line and the metrics after the commit.</summary>
/// <param name="NotificationId">The notification dispatched.</param>
/// <param name="Express">Whether its records took the express lane.</param>
/// <param name="Decisions">Each due delivery's decision.</param>
/// <param name="DueTimes">The Scheduler requests made (one per distinct due time).</param>
/// <param name="Status">The notification's status afterwards.</param>
public sealed record DispatchOutcome(long NotificationId, bool Express, IReadOnlyList<DispatchDecision> Decisions, int DueTimes, NotificationStatus Status)
{
    public int Count(DispatchAction action) => Decisions.Count(d => d.Action == action);
}

/// <summary>
/// Dispatches a notification's due deliveries, in the caller's transaction (its creation, or a <c>notifications.due</c>
/// record under the notification's row lock): every pending delivery not dispatched yet whose due time has come is
/// locked and read with its user in one statement, decided (<see cref="DispatchPlan"/>), and written back in one
/// statement; the email and SMS going now get a send record each (written with COPY, on the express topic for an
/// express notification), the in-app ones become sent and are announced to the feed (<see cref="FeedNotices"/>), and
/// the waiting ones get one Scheduler request per distinct due time. A delivery once dispatched is not picked again
/// until a retry makes it wait anew, so a replayed due record dispatches nothing more.
/// </summary>
public sealed class NotificationDispatch(IOptions<NotificationOptions> options)
{
    private const string DueSql = """
        SELECT d.id, d.user_id, d.channel, d.address, d.dispatch, u.name, u.timezone, u.quiet_hours_from, u.quiet_hours_to
        FROM notification_deliveries d
        LEFT JOIN users u ON u.user_id = d.user_id
        WHERE d.notification_id = @notification_id AND d.status = 'pending' AND d.dispatched_at IS NULL AND (d.due_at IS NULL OR d.due_at <= @due_by)
        ORDER BY d.id
        FOR UPDATE OF d
        """;

    /// <summary>Users (of <c>@user_ids</c>) with at least <c>@cap</c> other notifications dispatched to them since <c>@since</c>.</summary>
    private const string OverCapSql = """
        SELECT user_id FROM notification_deliveries
        WHERE user_id = ANY(@user_ids) AND dispatched_at > @since AND notification_id <> @notification_id
        GROUP BY user_id HAVING count(DISTINCT notification_id) >= @cap
        """;

    private const string UpdateSql = """
        UPDATE notification_deliveries AS d SET
            status = c.status, reason = c.reason, dispatch = c.dispatch, due_at = COALESCE(c.due_at, d.due_at),
            sent_at = c.sent_at, dispatched_at = c.dispatched_at
        FROM unnest(@ids, @statuses, @reasons, @dispatches, @due_at, @sent_at, @dispatched_at)
            AS c(id, status, reason, dispatch, due_at, sent_at, dispatched_at)
        WHERE d.id = c.id
        """;

    private static readonly TimeSpan CapWindow = TimeSpan.FromHours(1);

    private readonly NotificationOptions _options = options.Value;

    /// <summary>
    /// At creation: a notification whose send time is ahead gets it as every pending delivery's due time and one
    /// Scheduler request; any other is dispatched now. Either way the workers get its content first.
    /// </summary>
    public async Task<DispatchOutcome> StartAsync(TasksDbContext db, Notification notification, string? traceParent, DateTimeOffset now, CancellationToken ct)
    {
        db.OutboxMessages.Add(NotificationRecords.Changed(notification, _options, cancelled: false, traceParent, now));
        await db.SaveChangesAsync(ct);
        if (notification.SendAt is not { } sendAt || sendAt <= now)
        {
            return await DispatchAsync(db, notification, now, traceParent, now, ct);
        }
        await db.NotificationDeliveries.Where(d => d.NotificationId == notification.Id && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.DueAt, sendAt), ct);
        db.OutboxMessages.Add(NotificationRecords.Due(notification, sendAt, traceParent, now));
        await db.SaveChangesAsync(ct);
        return new DispatchOutcome(notification.Id, notification.Express, [], DueTimes: 1, notification.Status);
    }

    /// <summary>
    /// Dispatches the deliveries due by <paramref name="dueBy"/>; a scheduled notification becomes sending, and one with
    /// nothing pending left done (<see cref="NotificationCompletion"/>). The caller holds the notification's row (or made it).
    /// </summary>
    public async Task<DispatchOutcome> DispatchAsync(
        TasksDbContext db, Notification notification, DateTimeOffset dueBy, string? traceParent, DateTimeOffset now, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (notification.Status == NotificationStatus.Scheduled)
            {
                await NotificationCompletion.SetStatusAsync(db, notification, NotificationStatus.Sending, now, ct);
            }
            var due = await DueAsync(connection, notification.Id, dueBy, ct);
            var throttled = await OverCapAsync(connection, notification, due, now, ct);
            var decisions = DispatchPlan.Decide(due, notification.Express, throttled, _options, now);
            await UpdateAsync(connection, decisions, now, ct);

            await OutboxCopy.WriteAsync(connection, decisions.Where(d => d.Action == DispatchAction.Hand).Select(d => NotificationRecords.Send(
                new NotificationSendItem(d.Delivery.Id, notification.Id,
                    d.Delivery.Channel == DeliveryChannel.Email ? NotificationSendChannel.Email : NotificationSendChannel.Sms,
                    d.Delivery.Address!, d.Delivery.Name, d.Delivery.Dispatch + 1, notification.Express, dueBy),
                traceParent, now)), ct);
            var fed = decisions.Where(d => d.Action == DispatchAction.Feed).Select(d => d.Delivery.Id).ToArray();
            if (fed.Length > 0)
            {
                await FeedNotices.NotifyAsync(db, fed, ct);
            }
            var dueTimes = decisions.Where(d => d.Action == DispatchAction.Wait).Select(d => d.WaitUntil!.Value).Distinct().ToList();
            db.OutboxMessages.AddRange(dueTimes.Select(at => NotificationRecords.Due(notification, at, traceParent, now)));
            await db.SaveChangesAsync(ct);

            await NotificationCompletion.FinishIfDoneAsync(db, [notification], traceParent, now, ct);
            return new DispatchOutcome(notification.Id, notification.Express, decisions, dueTimes.Count, notification.Status);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<List<DueDelivery>> DueAsync(NpgsqlConnection connection, long notificationId, DateTimeOffset dueBy, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(DueSql, connection) { Parameters = { new("notification_id", notificationId), new("due_by", dueBy) } };
        var due = new List<DueDelivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            due.Add(new DueDelivery(reader.GetInt64(0), reader.GetString(1), StatusNames<DeliveryChannel>.Parse(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<TimeOnly>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<TimeOnly>(8)));
        }
        return due;
    }

    /// <summary>The users already sent (or handed over) the cap's number of other notifications in the last hour; express ones are not capped.</summary>
    private async Task<IReadOnlySet<string>> OverCapAsync(
        NpgsqlConnection connection, Notification notification, List<DueDelivery> due, DateTimeOffset now, CancellationToken ct)
    {
        var users = due.Where(d => d.Dispatch == 0).Select(d => d.UserId).Distinct().ToArray();
        if (_options.MaxPerUserPerHour == 0 || notification.Express || users.Length == 0)
        {
            return new HashSet<string>();
        }
        await using var command = new NpgsqlCommand(OverCapSql, connection)
        {
            Parameters =
            {
                new("user_ids", users), new("since", now - CapWindow), new("notification_id", notification.Id), new("cap", (long)_options.MaxPerUserPerHour),
            },
        };
        var over = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            over.Add(reader.GetString(0));
        }
        return over;
    }

    private static async Task UpdateAsync(NpgsqlConnection connection, List<DispatchDecision> decisions, DateTimeOffset now, CancellationToken ct)
    {
        if (decisions.Count == 0)
        {
            return;
        }
        DeliveryStatus Status(DispatchDecision d) => d.Action switch
        {
            DispatchAction.Feed => DeliveryStatus.Sent,
            DispatchAction.Throttle or DispatchAction.NoAddress => DeliveryStatus.Skipped,
            _ => DeliveryStatus.Pending,
        };
        string? Reason(DispatchDecision d) => d.Action switch
        {
            DispatchAction.Throttle => StatusNames<DeliveryReason>.Of(DeliveryReason.Throttled),
            DispatchAction.NoAddress => StatusNames<DeliveryReason>.Of(DeliveryReason.NoAddress),
            _ => null,
        };
        var dispatched = new[] { DispatchAction.Hand, DispatchAction.Feed };
        await using var command = new NpgsqlCommand(UpdateSql, connection)
        {
            Parameters =
            {
                new("ids", decisions.Select(d => d.Delivery.Id).ToArray()),
                new("statuses", decisions.Select(d => StatusNames<DeliveryStatus>.Of(Status(d))).ToArray()),
                NpgsqlArrays.Of("reasons", NpgsqlDbType.Varchar, decisions.Select(Reason)),
                new("dispatches", decisions.Select(d => d.Delivery.Dispatch + (d.Action == DispatchAction.Hand ? 1 : 0)).ToArray()),
                NpgsqlArrays.Of("due_at", NpgsqlDbType.TimestampTz, decisions.Select(d => d.WaitUntil)),
                NpgsqlArrays.Of("sent_at", NpgsqlDbType.TimestampTz, decisions.Select(d => d.Action == DispatchAction.Feed ? now : (DateTimeOffset?)null)),
                NpgsqlArrays.Of("dispatched_at", NpgsqlDbType.TimestampTz,
                    decisions.Select(d => dispatched.Contains(d.Action) ? now : (DateTimeOffset?)null)),
            },
        };
        await command.ExecuteNonQueryAsync(ct);
    }
}
