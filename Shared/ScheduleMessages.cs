namespace Tasks.Shared;

/// <summary>
/// An occurrence of a recurring schedule has come: released by the Scheduler to <c>schedules.due</c> at
/// <see cref="Occurrence"/>, keyed by the schedule id. Stale (and ignored) once the schedule has moved past
/// <see cref="Version"/> (changed, paused, deleted) or past this occurrence.
/// </summary>
public sealed record ScheduleDue(long ScheduleId, int Version, DateTimeOffset Occurrence);
