using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Schedules.Firing;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.Schedules.UpdateSchedule;

/// <summary>
/// <c>PATCH /schedules/{id}</c>: changes the cron expression, the zone or the end, or pauses or resumes. Every change is
/// a new version, taking effect at once: the Scheduler's request of the old next occurrence is cancelled (and ignored
/// should it still come), and the new next occurrence requested, in the change's transaction.
/// </summary>
public sealed partial class UpdateScheduleEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<UpdateScheduleEndpoint> logger) : Endpoint<UpdateScheduleRequest, Results<Ok<ScheduleResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/{id}");
        Group<SchedulesGroup>();
        Policies(ApiAccess.TasksWrite);
        Description(endpoint => endpoint.WithName("UpdateSchedule")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Change, pause or resume a schedule";
            summary.Description = "Fields left out stay as they are. The change takes effect at once: the next occurrence is the first of " +
                "the new expression after now (none while paused); occurrences that passed while paused do not run.";
            summary.Responses[StatusCodes.Status404NotFound] = "No schedule has this id, or an app asks for a schedule it did not create.";
        });
    }

    public override async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> ExecuteAsync(UpdateScheduleRequest request, CancellationToken ct)
    {
        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var schedule = await db.LockedSchedule(request.Id).VisibleTo(User).SingleOrDefaultAsync(ct);
            if (schedule is null)
            {
                return (IResult)ScheduleProblems.NotFound(request.Id);
            }
            var now = clock.GetUtcNow().TruncateToMicroseconds();
            var cron = request.Cron ?? schedule.Cron;
            var timeZone = request.Timezone ?? schedule.TimeZone;
            var endAt = request.EndAt?.ToUniversalTime().TruncateToMicroseconds() ?? schedule.EndAt;
            var paused = request.Paused ?? schedule.Paused;
            if (endAt <= schedule.StartAt)
            {
                ValidationFailures.Add(new("endAt", "'endAt' must be after 'startAt'."));
            }
            else if (!paused && !ScheduleRules.HasOccurrence(cron, timeZone, schedule.StartAt, endAt, now))
            {
                ValidationFailures.Add(new("cron", ScheduleRules.NoOccurrence));
            }
            ThrowIfAnyErrors();

            if (schedule.NextOccurrence is not null)
            {
                db.OutboxMessages.Add(ScheduleRecords.Cancel(schedule, now));
            }
            schedule.Cron = cron;
            schedule.TimeZone = timeZone;
            schedule.EndAt = endAt;
            schedule.Paused = paused;
            schedule.Version++;
            schedule.UpdatedAt = now;
            schedule.NextOccurrence = paused ? null : ScheduleCron.Of(schedule).First(schedule.StartAt, now);
            if (schedule.NextOccurrence is not null)
            {
                db.OutboxMessages.Add(ScheduleRecords.Request(schedule, now));
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return TypedResults.Ok(ScheduleResponse.From(schedule));
        });

        if (outcome is Ok<ScheduleResponse> ok)
        {
            outbox.Notify();
            LogChanged(logger, request.Id, ok.Value!.Paused, ok.Value.NextOccurrences.FirstOrDefault()?.At);
            return ok;
        }
        return (ProblemHttpResult)outcome;
    }

    [LoggerMessage(LogLevel.Information, "Schedule {ScheduleId} changed (paused: {Paused}); next occurrence at {Occurrence:O}")]
    private static partial void LogChanged(ILogger logger, long scheduleId, bool paused, DateTimeOffset? occurrence);
}
