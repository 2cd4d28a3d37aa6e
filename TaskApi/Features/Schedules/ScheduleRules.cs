using FluentValidation;

namespace TaskApi.Features.Schedules;

/// <summary>The rules of a schedule's cron expression and time zone, for its creation and its changes.</summary>
public static class ScheduleRules
{
    public const string TimeZoneMessage = "'{PropertyName}' must be an IANA time zone id such as Europe/Moscow or UTC (letter case matters).";

    public static IRuleBuilderOptionsConditions<T, string?> MustBeCron<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Custom((cron, context) =>
        {
            if (cron is { Length: > ScheduleConfiguration.MaxCronLength })
            {
                context.AddFailure($"'cron' must be at most {ScheduleConfiguration.MaxCronLength} characters.");
            }
            else if (ScheduleCron.ParseCron(cron, out var error) is null)
            {
                context.AddFailure(error!);
            }
        });

    public static IRuleBuilderOptions<T, string?> MustBeTimeZone<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(id => ScheduleCron.FindZone(id) is not null).WithMessage(TimeZoneMessage);

    /// <summary>The message when a schedule would never fire.</summary>
    public const string NoOccurrence = "'cron' has no occurrence from the start (or now) before 'endAt'.";

    public static bool HasOccurrence(string cron, string timeZone, DateTimeOffset? startAt, DateTimeOffset? endAt, DateTimeOffset now) =>
        ScheduleCron.Of(cron, timeZone, endAt).First(startAt, now) is not null;
}
