using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Schedules.UpdateSchedule;

/// <summary>The route and JSON body of <c>PATCH /schedules/{id}</c>: the fields to change; absent ones stay as they are.</summary>
public sealed class UpdateScheduleRequest
{
    /// <summary>The schedule's id.</summary>
    public long Id { get; set; }

    /// <summary>A new cron expression: 5 fields, or 6 with seconds first.</summary>
    public string? Cron { get; set; }

    /// <summary>A new IANA time zone.</summary>
    public string? Timezone { get; set; }

    /// <summary>A new end (ISO-8601 with an offset, in the future and after startAt).</summary>
    [JsonConverter(typeof(OffsetRequiredDateTimeConverter))]
    public DateTimeOffset? EndAt { get; set; }

    /// <summary>true pauses (no occurrence fires), false resumes from the first occurrence after now.</summary>
    public bool? Paused { get; set; }
}

public sealed class UpdateScheduleValidator : Validator<UpdateScheduleRequest>
{
    public UpdateScheduleValidator(TimeProvider clock)
    {
        RuleFor(s => s.Cron).MustBeCron().When(s => s.Cron is not null);
        RuleFor(s => s.Timezone).MustBeTimeZone().When(s => s.Timezone is not null);
        RuleFor(s => s.EndAt).Cascade(CascadeMode.Stop)
            .WithinAcceptedTimes()
            .Must(end => end > clock.GetUtcNow()).WithMessage("'{PropertyName}' must be in the future.")
            .When(s => s.EndAt is not null);
    }
}
