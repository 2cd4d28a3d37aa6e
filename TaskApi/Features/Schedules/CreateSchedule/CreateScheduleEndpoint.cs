using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Notifications;
using TaskApi.Features.Notifications.CreateNotification;
using TaskApi.Features.Schedules.Firing;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.Schedules.CreateSchedule;

/// <summary>
/// <c>POST /schedules</c>: stores a recurring schedule and, in the same transaction, requests its first occurrence from
/// the Scheduler (through the outbox), so it takes effect at once.
/// </summary>
public sealed partial class CreateScheduleEndpoint(
    TasksDbContext db,
    IAuthorizationService authorization,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<CreateScheduleEndpoint> logger) : Endpoint<CreateScheduleRequest, Results<Created<ScheduleResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/");
        Group<SchedulesGroup>();
        Policies(ApiAccess.TasksWrite);
        RequestBinder(new RequestBinder<CreateScheduleRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(CreateScheduleValidator.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("CreateSchedule")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Create a recurring schedule";
            summary.Description = "Each occurrence of the cron expression, read in the time zone, creates one task as POST /tasks would, " +
                "or one notification as POST /notifications would, by the schedule's creator (an app's schedules, their tasks and " +
                "notifications are its own). A notification's schedule needs the notifications:write access as well. The answer lists the next 5 occurrences.";
            summary.Responses[StatusCodes.Status201Created] = "The schedule was created; Location is its address.";
            summary.Responses[StatusCodes.Status403Forbidden] = "A notification's schedule, and the caller may not create notifications.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {CreateScheduleValidator.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Created<ScheduleResponse>, ProblemHttpResult>> ExecuteAsync(CreateScheduleRequest request, CancellationToken ct)
    {
        if (request.Notification is not null && !(await authorization.AuthorizeAsync(User, ApiAccess.NotificationsWrite)).Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                detail: $"Creating notifications needs the {ApiAccess.NotificationsWrite} access (an operator, or an app with the notifications scope).");
        }
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var startAt = request.StartAt?.ToUniversalTime().TruncateToMicroseconds();
        var endAt = request.EndAt?.ToUniversalTime().TruncateToMicroseconds();
        var schedule = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var schedule = new Schedule
            {
                Kind = request.Task is not null ? ScheduleKind.Task : ScheduleKind.Notification,
                Target = request.Task is { } task ? ScheduledTask.From(task).ToJson() : (await NotificationTargetAsync(request.Notification!, ct)).ToJson(),
                Cron = request.Cron!,
                TimeZone = request.Timezone!,
                StartAt = startAt,
                EndAt = endAt,
                Misfire = request.Misfire is { } misfire ? ScheduleNames.Misfires[misfire] : MisfirePolicy.RunOnce,
                NextOccurrence = ScheduleCron.Of(request.Cron!, request.Timezone!, endAt).First(startAt, now),
                CreatedAt = now,
                CreatedBy = User.Id(),
                UpdatedAt = now,
            };
            db.Schedules.Add(schedule);
            // The id first: the Scheduler's record names it.
            await db.SaveChangesAsync(ct);
            db.OutboxMessages.Add(ScheduleRecords.Request(schedule, now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return schedule;
        });
        outbox.Notify();
        LogCreated(logger, schedule.Id, ScheduleNames.Of(schedule.Kind), schedule.NextOccurrence!.Value);
        return TypedResults.Created($"/schedules/{schedule.Id}", ScheduleResponse.From(schedule));
    }

    /// <summary>The notification target, its template's subject and HTML copied (the template locked until the schedule is stored).</summary>
    private async Task<ScheduledNotification> NotificationTargetAsync(CreateNotificationRequest notification, CancellationToken ct)
    {
        var content = await NotificationContent.OfAsync(db, notification, ct);
        if (content is null)
        {
            ThrowError(new ValidationFailure("notification.templateId", NotificationContent.UnknownTemplate(notification.TemplateId!.Value)));
        }
        return ScheduledNotification.From(notification, content);
    }

    [LoggerMessage(LogLevel.Information, "Schedule {ScheduleId} of a {Kind} created; first occurrence at {Occurrence:O}")]
    private static partial void LogCreated(ILogger logger, long scheduleId, string kind, DateTimeOffset occurrence);
}
