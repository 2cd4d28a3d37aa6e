using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Schedules;

/// <summary>
/// A recurring schedule: a cron expression read in a time zone, and what each occurrence creates (its target: a task
/// or a notification, told apart by <see cref="Kind"/>). PostgreSQL holds the one occurrence it waits for
/// (<see cref="NextOccurrence"/>), requested from the Scheduler under <see cref="Version"/>.
/// </summary>
public sealed class Schedule
{
    public long Id { get; init; }

    public ScheduleKind Kind { get; init; }

    /// <summary>What each occurrence creates, as JSON of the kind's own shape (<see cref="ScheduledTask"/>, <see cref="ScheduledNotification"/>).</summary>
    public required string Target { get; init; }

    /// <summary>5 fields (minute first) or 6 (second first), as Cronos reads them.</summary>
    public required string Cron { get; set; }

    /// <summary>The IANA time zone the cron expression is read in.</summary>
    public required string TimeZone { get; set; }

    /// <summary>No occurrence before this; null: from the creation.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>No occurrence at or after this; null: no end.</summary>
    public DateTimeOffset? EndAt { get; set; }

    public MisfirePolicy Misfire { get; init; }

    public bool Paused { get; set; }

    /// <summary>Raised by every change, so a Scheduler record requested before it is stale (and its id a new one).</summary>
    public int Version { get; set; } = 1;

    /// <summary>The occurrence waited for (and requested from the Scheduler); null while paused or after the last one.</summary>
    public DateTimeOffset? NextOccurrence { get; set; }

    /// <summary>The last occurrence that fired (created its task or notification).</summary>
    public DateTimeOffset? LastOccurrence { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it: the tasks and notifications of its occurrences are that caller's (<see cref="CreatedByColumn"/>).</summary>
    public required string CreatedBy { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>What a schedule's occurrences create.</summary>
public enum ScheduleKind
{
    Task,
    Notification,
}

/// <summary>What becomes of occurrences missed while the system was down (or the Scheduler lost them).</summary>
public enum MisfirePolicy
{
    /// <summary>The latest missed occurrence runs once, at once; the others are skipped.</summary>
    RunOnce,

    /// <summary>None of the missed occurrences runs.</summary>
    Skip,
}

/// <summary>The words of the API and the table for the enums above ("task", "notification"; "runOnce", "skip").</summary>
public static class ScheduleNames
{
    public static readonly IReadOnlyDictionary<string, MisfirePolicy> Misfires =
        new Dictionary<string, MisfirePolicy>(StringComparer.Ordinal) { ["runOnce"] = MisfirePolicy.RunOnce, ["skip"] = MisfirePolicy.Skip };

    public static readonly IReadOnlyDictionary<string, ScheduleKind> Kinds =
        new Dictionary<string, ScheduleKind>(StringComparer.Ordinal) { ["task"] = ScheduleKind.Task, ["notification"] = ScheduleKind.Notification };

    public static string Of(MisfirePolicy misfire) => misfire == MisfirePolicy.RunOnce ? "runOnce" : "skip";

    public static string Of(ScheduleKind kind) => kind switch
    {
        ScheduleKind.Task => "task",
        ScheduleKind.Notification => "notification",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>The schedule's row, locked FOR UPDATE until the transaction ends: every change and every firing takes it first, so they happen one after another.</summary>
public static class ScheduleLocks
{
    public static IQueryable<Schedule> LockedSchedule(this TasksDbContext db, long id) =>
        db.Schedules.FromSql($"SELECT * FROM schedules WHERE id = {id} FOR UPDATE");
}
