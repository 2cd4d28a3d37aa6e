namespace TaskApi.Features.Schedules;

/// <summary>A recurring schedule.</summary>
/// <param name="Id">The schedule's id.</param>
/// <param name="Kind">What each occurrence creates: task or notification.</param>
/// <param name="Cron">The cron expression: 5 fields, or 6 with seconds first.</param>
/// <param name="Timezone">The IANA time zone the expression is read in.</param>
/// <param name="StartAt">No occurrence before this.</param>
/// <param name="EndAt">No occurrence at or after this.</param>
/// <param name="Misfire">What becomes of occurrences missed while the system was down: runOnce (the latest runs once) or skip.</param>
/// <param name="Paused">True while paused: no occurrence fires; resuming continues from the first occurrence after it.</param>
/// <param name="Task">The task each occurrence creates (a task's schedule).</param>
/// <param name="Notification">The notification each occurrence creates (a notification's schedule).</param>
/// <param name="NextOccurrences">The next occurrences (up to 5; none while paused or after the last).</param>
/// <param name="LastOccurrence">The last occurrence that fired.</param>
/// <param name="CreatedBy">Who created it: its occurrences' tasks and notifications are this caller's.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record ScheduleResponse(
    long Id, string Kind, string Cron, string Timezone, DateTimeOffset? StartAt, DateTimeOffset? EndAt, string Misfire, bool Paused,
    ScheduledTask? Task, ScheduledNotification? Notification, IReadOnlyList<OccurrenceTime> NextOccurrences, DateTimeOffset? LastOccurrence, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const int ShownOccurrences = 5;

    public static ScheduleResponse From(Schedule schedule)
    {
        var cron = ScheduleCron.Of(schedule);
        var next = schedule.NextOccurrence is { } first
            ? cron.Upcoming(first, ShownOccurrences).Select(at => new OccurrenceTime(at, TimeZoneInfo.ConvertTime(at, cron.Zone))).ToList()
            : [];
        return new ScheduleResponse(schedule.Id, ScheduleNames.Of(schedule.Kind), schedule.Cron, schedule.TimeZone, schedule.StartAt, schedule.EndAt,
            ScheduleNames.Of(schedule.Misfire), schedule.Paused,
            schedule.Kind == ScheduleKind.Task ? ScheduledTask.Read(schedule.Target) : null,
            schedule.Kind == ScheduleKind.Notification ? ScheduledNotification.Read(schedule.Target) : null, next, schedule.LastOccurrence,
            schedule.CreatedBy, schedule.CreatedAt, schedule.UpdatedAt);
    }
}

/// <summary>An occurrence's instant.</summary>
/// <param name="At">In UTC.</param>
/// <param name="Local">The same instant in the schedule's time zone (its offset then).</param>
public sealed record OccurrenceTime(DateTimeOffset At, DateTimeOffset Local);

/// <summary>One page of schedules, newest first.</summary>
/// <param name="Items">The schedules on this page.</param>
/// <param name="Page">This page's number.</param>
/// <param name="PageSize">The requested page size.</param>
/// <param name="Total">How many schedules the caller sees in all, counted up to 10,000.</param>
/// <param name="TotalCapped">More than 10,000: Total is then 10,000, a lower bound.</param>
public sealed record SchedulePage(IReadOnlyList<ScheduleResponse> Items, int Page, int PageSize, long Total, bool TotalCapped);
