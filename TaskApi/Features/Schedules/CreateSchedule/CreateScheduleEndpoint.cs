using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
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
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<CreateScheduleEndpoint> logger) : Endpoint<CreateScheduleRequest, Created<ScheduleResponse>>
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
                "by the schedule's creator (an app's schedules and their tasks are its own). The answer lists the next 5 occurrences.";
            summary.Responses[StatusCodes.Status201Created] = "The schedule was created; Location is its address.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {CreateScheduleValidator.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Created<ScheduleResponse>> ExecuteAsync(CreateScheduleRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var startAt = request.StartAt?.ToUniversalTime().TruncateToMicroseconds();
        var endAt = request.EndAt?.ToUniversalTime().TruncateToMicroseconds();
        var schedule = new Schedule
        {
            Kind = ScheduleKind.Task,
            Target = ScheduledTask.From(request.Task!).ToJson(),
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
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Schedules.Add(schedule);
            // The id first: the Scheduler's record names it.
            await db.SaveChangesAsync(ct);
            db.OutboxMessages.Add(ScheduleRecords.Request(schedule, now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        });
        outbox.Notify();
        LogCreated(logger, schedule.Id, schedule.NextOccurrence!.Value);
        return TypedResults.Created($"/schedules/{schedule.Id}", ScheduleResponse.From(schedule));
    }

    [LoggerMessage(LogLevel.Information, "Schedule {ScheduleId} created; first occurrence at {Occurrence:O}")]
    private static partial void LogCreated(ILogger logger, long scheduleId, DateTimeOffset occurrence);
}
