namespace Tasks.Shared;

/// <summary>
/// "Deliver this Kafka record at <see cref="DueAt"/>": published to <c>scheduler.requests</c> keyed by
/// <see cref="ScheduleId"/>. The Scheduler stores it and, when due, produces <see cref="Key"/>, <see cref="Value"/>
/// and <see cref="Headers"/> unchanged to <see cref="Topic"/>. The same id scheduled twice is stored once.
/// </summary>
public sealed record ScheduleRequest(
    string ScheduleId,
    DateTimeOffset DueAt,
    string Topic,
    byte[]? Key,
    byte[] Value,
    IReadOnlyList<ScheduledHeader> Headers);

/// <summary>A Kafka header of a scheduled record, in order (names may repeat).</summary>
public sealed record ScheduledHeader(string Name, byte[] Value);

/// <summary>"Do not deliver <see cref="ScheduleId"/>": published to <c>scheduler.cancels</c> keyed by the schedule id.</summary>
public sealed record ScheduleCancel(string ScheduleId);
