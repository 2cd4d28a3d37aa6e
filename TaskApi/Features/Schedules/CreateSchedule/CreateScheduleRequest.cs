using System.Text.Json.Serialization;
using TaskApi.Features.Notifications.CreateNotification;
using TaskApi.Features.Tasks.CreateTask;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Schedules.CreateSchedule;

/// <summary>The JSON body of <c>POST /schedules</c>.</summary>
public sealed class CreateScheduleRequest
{
    /// <summary>A cron expression (Cronos): 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; at most 120 characters.</summary>
    public string? Cron { get; set; }

    /// <summary>The IANA time zone the expression is read in, such as Europe/Moscow: a local time the clocks skip runs at the jump, one they repeat runs once.</summary>
    public string? Timezone { get; set; }

    /// <summary>No occurrence before this (ISO-8601 with an offset); absent: from now.</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? StartAt { get; set; }

    /// <summary>No occurrence at or after this (ISO-8601 with an offset, after startAt and now); absent: no end.</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? EndAt { get; set; }

    /// <summary>Occurrences missed while the system was down: runOnce (default: the latest runs once, at once) or skip (none runs).</summary>
    public string? Misfire { get; set; }

    /// <summary>The task each occurrence creates, as <c>POST /tasks</c> takes it, without runAt or delaySeconds (the schedule says when). Give this or notification.</summary>
    public CreateTaskRequest? Task { get; set; }

    /// <summary>
    /// The notification each occurrence creates, as <c>POST /notifications</c> takes it, without sendAt (the schedule says
    /// when); a template's subject and HTML are copied now. Give this or task; it needs the notifications:write access too.
    /// </summary>
    public CreateNotificationRequest? Notification { get; set; }
}
