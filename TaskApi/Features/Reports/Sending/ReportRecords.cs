using NodaTime;
using NodaTime.Text;
using TaskApi.Features.Mailings;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Features.Reports.Sending;

/// <summary>When each day's report is due, and its record for the Scheduler.</summary>
public static class ReportRecords
{
    public static string ScheduleId(LocalDate date) => $"report-daily-{Format(date)}";

    public static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>The report of <paramref name="date"/> goes out the next day at Reports:At.</summary>
    public static DateTimeOffset DueAt(LocalDate date, ReportOptions options) =>
        SendWindowClock.At(date.PlusDays(1), LocalTime.FromTimeOnly(options.At), DateTimeZoneProviders.Tzdb[options.TimeZone]);

    /// <summary>The last day whose report is due at or before <paramref name="now"/>.</summary>
    public static LocalDate LastDue(DateTimeOffset now, ReportOptions options)
    {
        var today = Instant.FromDateTimeOffset(now).InZone(DateTimeZoneProviders.Tzdb[options.TimeZone]).Date;
        return DueAt(today.PlusDays(-1), options) <= now ? today.PlusDays(-1) : today.PlusDays(-2);
    }

    public static OutboxMessage Due(LocalDate date, ReportOptions options, DateTimeOffset now)
    {
        var at = DueAt(date, options);
        return OutboxRecords.DeliverAt(KafkaTopics.ReportsDue, System.Text.Encoding.UTF8.GetBytes(Format(date)),
            MessageJson.Serialize(new ReportDue(Format(date))), at > now ? at : null, ScheduleId(date), traceParent: null, now);
    }
}
