using FastEndpoints;
using FluentValidation;
using TaskApi.Features.Notifications.CreateNotification;
using TaskApi.Features.Tasks.CreateTask;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Schedules.CreateSchedule;

/// <summary>
/// The rules of a new schedule; its task follows the rules of <c>POST /tasks</c> (<see cref="CreateTaskValidator"/>), its
/// notification those of <c>POST /notifications</c> (<see cref="CreateNotificationValidator"/>).
/// </summary>
public sealed class CreateScheduleValidator : Validator<CreateScheduleRequest>
{
    /// <summary>The larger target's body and room for the schedule's own fields.</summary>
    public const int MaxRequestBytes = (CreateNotificationValidator.MaxRequestBytes > CreateTaskValidator.MaxRequestBytes
        ? CreateNotificationValidator.MaxRequestBytes : CreateTaskValidator.MaxRequestBytes) + 4 * 1024;

    public CreateScheduleValidator(TimeProvider clock)
    {
        RuleFor(s => s.Cron).Cascade(CascadeMode.Stop).NotEmpty().MustBeCron();
        RuleFor(s => s.Timezone).Cascade(CascadeMode.Stop).NotEmpty().MustBeTimeZone();
        RuleFor(s => s.StartAt).WithinAcceptedTimes();
        RuleFor(s => s.EndAt).Cascade(CascadeMode.Stop)
            .WithinAcceptedTimes()
            .Must(end => end > clock.GetUtcNow()).WithMessage("'{PropertyName}' must be in the future.")
            .Must((s, end) => s.StartAt is null || end > s.StartAt).WithMessage("'{PropertyName}' must be after 'startAt'.")
            .When(s => s.EndAt is not null);
        RuleFor(s => s.Cron)
            .Must((s, cron) => ScheduleRules.HasOccurrence(cron!, s.Timezone!, s.StartAt, s.EndAt, clock.GetUtcNow()))
            .WithMessage(ScheduleRules.NoOccurrence)
            .When(s => ScheduleCron.ParseCron(s.Cron) is not null && ScheduleCron.FindZone(s.Timezone) is not null
                && s.Cron!.Length <= ScheduleConfiguration.MaxCronLength
                && AcceptedTimes.Contains(s.StartAt ?? AcceptedTimes.Earliest) && AcceptedTimes.Contains(s.EndAt ?? AcceptedTimes.Earliest));
        RuleFor(s => s.Misfire)
            .Must(misfire => ScheduleNames.Misfires.ContainsKey(misfire!))
            .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", ScheduleNames.Misfires.Keys)}.")
            .When(s => s.Misfire is not null);
        RuleFor(s => s.Task).NotNull().WithMessage("Give 'task' or 'notification': what each occurrence creates.").When(s => s.Notification is null);
        RuleFor(s => s.Notification).Null().WithMessage("Give either 'task' or 'notification', not both.").When(s => s.Task is not null);
        RuleFor(s => s.Notification!).SetValidator(new CreateNotificationValidator()).When(s => s.Notification is not null);
        RuleFor(s => s.Notification!.SendAt).Null().WithMessage("A schedule's notification is sent at its occurrences: give no 'sendAt'.")
            .OverridePropertyName("notification.sendAt").When(s => s.Notification is not null);
        RuleFor(s => s.Task!).SetValidator(new CreateTaskValidator(clock)).When(s => s.Task is not null);
        RuleFor(s => s.Task!.RunAt).Null().WithMessage("A schedule's task runs at its occurrences: give no 'runAt'.").OverridePropertyName("task.runAt").When(s => s.Task is not null);
        RuleFor(s => s.Task!.DelaySeconds).Null().WithMessage("A schedule's task runs at its occurrences: give no 'delaySeconds'.").OverridePropertyName("task.delaySeconds").When(s => s.Task is not null);
    }
}
