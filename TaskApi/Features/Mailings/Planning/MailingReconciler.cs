using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Features.Tasks.Scheduling;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Mailings.Planning;

/// <summary>
/// What <see cref="ScheduleReconciler"/> is for tasks, for mailings: PostgreSQL knows every start, end and waiting message,
/// so every <see cref="ReconciliationOptions.Interval"/> the schedules due within two intervals are requested again (the
/// Scheduler stores an id once, so one it still holds is unaffected) and those overdue by
/// <see cref="ReconciliationOptions.OverdueAfter"/> (their schedule was lost with Redis's data) are delivered now. Starting,
/// ending and sending are idempotent, so a schedule delivered twice does no harm.
/// And when no message of a running mailing has been settled for <see cref="ReconciliationOptions.SmsSilence"/> (an
/// attempt's timeout plus a margin), the pending messages that were due that long ago, of mailings started that long ago,
/// are dispatched again (their send record or their report was lost with Kafka's data), each under a new dispatch number:
/// a report of the earlier record then counts only if it says <c>sent</c>, so a redispatch never fights a late report nor
/// counts an attempt twice, and the worker's sent marker keeps one the provider already took from going out again.
/// </summary>
public sealed class MailingReconciler(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<MailingReconciler> logger) : PeriodicReconciler(outbox, options, clock, logger)
{
    private readonly ChannelSilence<MailingsProgress> _silence = new(options.Value.SmsSilence);

    protected override string What => "mailing schedules";

    protected override async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow().TruncateToMicroseconds();
        var horizon = now + 2 * Options.Interval;
        var overdue = now - Options.OverdueAfter;
        // Not yet released by the Scheduler (with a margin for clocks).
        var notYetReleased = now.AddSeconds(1);
        bool Reconciled(DateTimeOffset at) => (at > notYetReleased && at <= horizon) || at < overdue;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var mailings = await db.Mailings.AsNoTracking()
            .Where(m => (m.Status == MailingStatus.Scheduled && ((m.StartAt > notYetReleased && m.StartAt <= horizon) || m.StartAt < overdue))
                || ((m.Status == MailingStatus.Scheduled || m.Status == MailingStatus.Running) && ((m.EndAt > notYetReleased && m.EndAt <= horizon) || m.EndAt < overdue)))
            .ToListAsync(cancellationToken);
        foreach (var mailing in mailings)
        {
            // An overdue moment's record goes out at once: Due publishes a time already past directly.
            if (mailing.Status == MailingStatus.Scheduled && Reconciled(mailing.StartAt))
            {
                db.OutboxMessages.Add(MailingRecords.Due(mailing, MailingMoment.Start, traceParent: null, now));
            }
            if (Reconciled(mailing.EndAt))
            {
                db.OutboxMessages.Add(MailingRecords.Due(mailing, MailingMoment.End, traceParent: null, now));
            }
        }

        var waiting = await db.SmsMessages
            .Where(m => m.Status == MessageStatus.Pending && m.DueAt != null && ((m.DueAt > notYetReleased && m.DueAt <= horizon) || m.DueAt < overdue))
            .Join(db.Mailings.Where(m => m.Status == MailingStatus.Running), message => message.MailingId, mailing => mailing.Id, (message, mailing) => new { message, mailing })
            .OrderBy(w => w.message.DueAt)
            .Take(Options.MaxPerPass)
            .ToListAsync(cancellationToken);
        foreach (var (message, mailing) in waiting.Select(w => (w.message, w.mailing)))
        {
            var lost = message.DueAt < overdue;
            var plan = SendPlan.For(mailing, message.TimeZone, lost ? now : message.DueAt!.Value, now);
            if (plan.Expires)
            {
                continue; // The mailing's end expires it.
            }
            var item = plan.Item(mailing, message.Id, message.ClientId, message.Phone, message.Dispatch);
            // A lost one goes now (or at its window's next opening), and is due then, so it is reconciled once.
            db.OutboxMessages.Add(MailingRecords.Send(item, lost ? plan.DueAt : message.DueAt, traceParent: null, now));
            if (lost)
            {
                message.DueAt = plan.DueAt;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        var requested = db.ChangeTracker.Entries<OutboxMessage>().Count();
        return requested + await DispatchSilentAgainAsync(db, [.. waiting.Select(w => w.message.Id)], now, cancellationToken);
    }

    /// <summary>Dispatches again the silent channel's unreported messages, except <c>justSent</c> (this pass sent them: their schedule was lost).</summary>
    private async Task<int> DispatchSilentAgainAsync(TasksDbContext db, long[] justSent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var running = db.Mailings.Where(m => m.Status == MailingStatus.Running);
        var progress = new MailingsProgress(await running.CountAsync(cancellationToken), await running.SumAsync(m => m.Counts.Pending, cancellationToken));
        if (!_silence.IsSilent(progress, now))
        {
            return 0;
        }

        var silentSince = now - Options.SmsSilence;
        var mailings = await running.AsNoTracking().Where(m => m.StartedAt < silentSince).ToDictionaryAsync(m => m.Id, cancellationToken);
        if (mailings.Count == 0)
        {
            return 0;
        }
        var ids = mailings.Keys.ToArray();
        var pending = StatusNames<MessageStatus>.Of(MessageStatus.Pending);
        var dispatched = await InTransactionAsync(db, async () =>
        {
            // Locked, and skipped while a report holds them: that report decides, and the next pass sees its outcome.
            var silent = await db.SmsMessages.FromSql($"""
                SELECT * FROM sms_messages
                WHERE mailing_id = ANY({ids}) AND status = {pending} AND (due_at IS NULL OR due_at < {silentSince}) AND NOT id = ANY({justSent})
                ORDER BY id LIMIT {Options.MaxPerPass} FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
            var count = 0;
            foreach (var message in silent)
            {
                var mailing = mailings[message.MailingId];
                var plan = SendPlan.For(mailing, message.TimeZone, now, now);
                if (plan.Expires)
                {
                    continue; // The mailing's end expires it.
                }
                message.Dispatch++;
                message.DueAt = plan.DueAt;
                db.OutboxMessages.Add(MailingRecords.Send(plan.Item(mailing, message.Id, message.ClientId, message.Phone, message.Dispatch), plan.DueAt, traceParent: null, now));
                count++;
            }
            await db.SaveChangesAsync(cancellationToken);
            return count;
        }, cancellationToken);
        if (dispatched > 0)
        {
            _silence.Redispatched(now);
            LogDispatchedAgain(dispatched, Options.SmsSilence);
        }
        return dispatched;
    }

    /// <summary>What moves with every message settled: the running mailings and their pending messages.</summary>
    private readonly record struct MailingsProgress(int Running, int Pending);
}
