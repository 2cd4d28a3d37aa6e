using System.Collections.Frozen;
using Cronos;
using NodaTime;

namespace TaskApi.Features.Schedules;

/// <summary>
/// A schedule's cron expression read in its time zone (Cronos): 5 fields, or 6 with seconds first. The zone's rules
/// place each occurrence: a local time the clocks skip runs at the jump, a local time they repeat runs once (Cronos).
/// Occurrences are strictly before the schedule's end.
/// </summary>
public sealed class ScheduleCron
{
    // The IANA ids of the tz database (as clients' zones); .NET reads the same ids from the system's tzdata.
    private static readonly FrozenSet<string> TimeZoneIds = DateTimeZoneProviders.Tzdb.Ids.ToFrozenSet(StringComparer.Ordinal);

    // Windows reaching back from an instant to find the latest occurrence before it: the first that holds one is short
    // enough (relative to how often the expression fires) to enumerate.
    private static readonly TimeSpan[] LookBack = [TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(367)];

    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;
    private readonly DateTimeOffset? _endAt;

    private ScheduleCron(CronExpression expression, TimeZoneInfo zone, DateTimeOffset? endAt) => (_expression, _zone, _endAt) = (expression, zone, endAt);

    public TimeZoneInfo Zone => _zone;

    public static ScheduleCron Of(Schedule schedule) =>
        new(ParseCron(schedule.Cron)!, FindZone(schedule.TimeZone)!, schedule.EndAt);

    public static ScheduleCron Of(string cron, string timeZone, DateTimeOffset? endAt) => new(ParseCron(cron)!, FindZone(timeZone)!, endAt);

    /// <summary>The expression, or null when it is none; <paramref name="error"/> says why.</summary>
    public static CronExpression? ParseCron(string? cron, out string? error)
    {
        error = null;
        var fields = cron?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
        if (fields is not (5 or 6))
        {
            error = "'cron' must have 5 fields (minute hour day-of-month month day-of-week) or 6 (with seconds first).";
            return null;
        }
        try
        {
            return CronExpression.Parse(cron!, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            error = $"'cron' is not a valid cron expression: {e.Message}";
            return null;
        }
    }

    public static CronExpression? ParseCron(string? cron) => ParseCron(cron, out _);

    /// <summary>The zone of an IANA id, or null when it is none (fixed offsets such as "UTC+03:00" and Windows names are not).</summary>
    public static TimeZoneInfo? FindZone(string? id) =>
        id is not null && TimeZoneIds.Contains(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>The first occurrence after <paramref name="from"/> (or at it, when <paramref name="inclusive"/>), before the end.</summary>
    public DateTimeOffset? Next(DateTimeOffset from, bool inclusive = false) =>
        _expression.GetNextOccurrence(from, _zone, inclusive) is { } next && (_endAt is null || next < _endAt) ? next.ToUniversalTime() : null;

    /// <summary>The first occurrence of a schedule starting at <paramref name="startAt"/> (or now, when that is past or null).</summary>
    public DateTimeOffset? First(DateTimeOffset? startAt, DateTimeOffset now) =>
        startAt is { } start && start > now ? Next(start, inclusive: true) : Next(now);

    /// <summary>
    /// <paramref name="first"/>, an occurrence, and those after it, up to <paramref name="count"/>. Not looked up again from
    /// <paramref name="first"/>: an occurrence moved to a DST jump (02:30 run at 03:00) does not match the expression itself.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> Upcoming(DateTimeOffset first, int count)
    {
        var occurrences = new List<DateTimeOffset>(count) { first };
        for (var next = Next(first); next is { } at && occurrences.Count < count; next = Next(at))
        {
            occurrences.Add(at);
        }
        return occurrences;
    }

    /// <summary>The latest occurrence from <paramref name="start"/> to <paramref name="end"/>, both included; null when there is none.</summary>
    public DateTimeOffset? Latest(DateTimeOffset start, DateTimeOffset end)
    {
        foreach (var window in LookBack)
        {
            var from = end - window > start ? end - window : start;
            if (LastBetween(from, end) is { } latest)
            {
                return latest;
            }
            if (from == start)
            {
                return null;
            }
        }
        return LastBetween(start, end);
    }

    /// <summary>How many occurrences there are from <paramref name="start"/> to <paramref name="end"/> (both included), counted up to <paramref name="cap"/>.</summary>
    public int Count(DateTimeOffset start, DateTimeOffset end, int cap) => Between(start, end).Take(cap).Count();

    private DateTimeOffset? LastBetween(DateTimeOffset start, DateTimeOffset end) => Between(start, end).Select(at => (DateTimeOffset?)at).LastOrDefault();

    private IEnumerable<DateTimeOffset> Between(DateTimeOffset start, DateTimeOffset end) =>
        _expression.GetOccurrences(start, end, _zone, fromInclusive: true, toInclusive: true).Where(at => _endAt is null || at < _endAt);
}
