using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Tasks;

public static class GetTask
{
    public static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> Handle(
        Guid id,
        TasksDbContext db,
        CancellationToken cancellationToken)
    {
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return task is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Task not found", detail: $"No task has id '{id}'.")
            : TypedResults.Ok(TaskResponse.From(task));
    }
}
