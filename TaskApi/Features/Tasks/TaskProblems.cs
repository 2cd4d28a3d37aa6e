using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskApi.Features.Tasks;

/// <summary>The RFC 7807 answers the task endpoints share.</summary>
public static class TaskProblems
{
    public static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Task not found", detail: $"No task has id '{id}'.");
}
