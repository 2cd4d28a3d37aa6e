using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Tasks.GetTask;

/// <summary><c>GET /tasks/{id}</c>: one task.</summary>
public sealed class GetTaskEndpoint(TasksDbContext db) : Endpoint<TaskIdRequest, Results<Ok<TaskResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}");
        Group<TasksGroup>();
        Policies(ApiAccess.TasksRead);
        Description(endpoint => endpoint
            .WithName("GetTask")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "Get a task by id";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a GUID.";
            summary.Responses[StatusCodes.Status404NotFound] = "No task has this id, or an app asks for a task it did not create.";
        });
    }

    public override async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> ExecuteAsync(TaskIdRequest request, CancellationToken ct)
    {
        var task = await db.Tasks.AsNoTracking().VisibleTo(User).FirstOrDefaultAsync(t => t.Id == request.Id, ct);
        return task is null ? TaskProblems.NotFound(request.Id) : TypedResults.Ok(TaskResponse.From(task));
    }
}
