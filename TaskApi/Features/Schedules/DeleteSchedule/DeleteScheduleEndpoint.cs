using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Schedules.Firing;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.Schedules.DeleteSchedule;

/// <summary>
/// <c>DELETE /schedules/{id}</c>: deletes a schedule and cancels its requested occurrence, in one transaction; should
/// that occurrence still be released, it finds no schedule and creates nothing. Tasks made already stay.
/// </summary>
public sealed partial class DeleteScheduleEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<DeleteScheduleEndpoint> logger) : Endpoint<ScheduleIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<SchedulesGroup>();
        Policies(ApiAccess.TasksWrite);
        Description(endpoint => endpoint.WithName("DeleteSchedule")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Delete a schedule";
            summary.Description = "No occurrence fires after it; the tasks its occurrences created stay.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a number.";
            summary.Responses[StatusCodes.Status404NotFound] = "No schedule has this id, or an app asks for a schedule it did not create.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(ScheduleIdRequest request, CancellationToken ct)
    {
        var deleted = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var schedule = await db.LockedSchedule(request.Id).VisibleTo(User).SingleOrDefaultAsync(ct);
            if (schedule is null)
            {
                return false;
            }
            if (schedule.NextOccurrence is not null)
            {
                db.OutboxMessages.Add(ScheduleRecords.Cancel(schedule, clock.GetUtcNow()));
            }
            db.Schedules.Remove(schedule);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        });
        if (!deleted)
        {
            return ScheduleProblems.NotFound(request.Id);
        }
        outbox.Notify();
        LogDeleted(logger, request.Id);
        return TypedResults.NoContent();
    }

    [LoggerMessage(LogLevel.Information, "Schedule {ScheduleId} deleted")]
    private static partial void LogDeleted(ILogger logger, long scheduleId);
}
