using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using TaskApi.Features.Tasks.Scheduling;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.Reports.Sending;

/// <summary>
/// Keeps the next daily report requested from the Scheduler (once per process and day: the Scheduler stores an id
/// once, and the reconciliation of Redis's data is the overdue check below), and sends now a report that is overdue and was never made (its schedule was lost with Redis's data). Only when
/// Reports:Recipients names someone.
/// </summary>
public sealed class ReportScheduler(
    IServiceScopeFactory scopes,
    IOptions<ReportOptions> reports,
    OutboxSignal outbox,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<ReportScheduler> logger) : PeriodicReconciler(outbox, options, clock, logger)
{
    private LocalDate? _requested;

    protected override string What => "daily reports";

    protected override async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var settings = reports.Value;
        if (settings.Recipients.Length == 0)
        {
            return 0;
        }
        var now = Clock.GetUtcNow();
        var lastDue = ReportRecords.LastDue(now, settings);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        if (_requested != lastDue.PlusDays(1))
        {
            db.OutboxMessages.Add(ReportRecords.Due(lastDue.PlusDays(1), settings, now));
        }
        var lastReportDate = lastDue.ToDateOnly();
        if (now - ReportRecords.DueAt(lastDue, settings) > Options.OverdueAfter
            && !await db.EmailMessages.AnyAsync(m => m.ReportDate == lastReportDate, cancellationToken))
        {
            db.OutboxMessages.Add(ReportRecords.Due(lastDue, settings, now));
        }
        await db.SaveChangesAsync(cancellationToken);
        _requested = lastDue.PlusDays(1);
        return db.ChangeTracker.Entries<OutboxMessage>().Count();
    }
}
