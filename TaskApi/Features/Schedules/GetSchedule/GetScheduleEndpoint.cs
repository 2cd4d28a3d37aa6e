using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Schedules.GetSchedule;

/// <summary><c>GET /schedules/{id}</c>: one schedule with its next occurrences.</summary>
public sealed class GetScheduleEndpoint(TasksDbContext db) : Endpoint<ScheduleIdRequest, Results<Ok<ScheduleResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}");
        Group<SchedulesGroup>();
        Policies(ApiAccess.TasksRead);
        Description(endpoint => endpoint
            .WithName("GetSchedule")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a schedule by id";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a number.";
            summary.Responses[StatusCodes.Status404NotFound] = "No schedule has this id, or an app asks for a schedule it did not create.";
        });
    }

    public override async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> ExecuteAsync(ScheduleIdRequest request, CancellationToken ct)
    {
        var schedule = await db.Schedules.AsNoTracking().VisibleTo(User).FirstOrDefaultAsync(s => s.Id == request.Id, ct);
        return schedule is null ? ScheduleProblems.NotFound(request.Id) : TypedResults.Ok(ScheduleResponse.From(schedule));
    }
}
