using System.Text.Json;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Model;

namespace TaskApi.Features.Tasks.RetryTask;

/// <summary>
/// <c>POST /tasks/{id}/retry</c>: gives a task that ended in <c>error</c> one more attempt, due now, through the path an
/// automatic retry takes: the task goes back to <c>new</c> as attempt n + 1 with <c>scheduledFor</c> set, and the
/// attempt's work is requested from the Scheduler in the same transaction (so <c>DELETE</c> can still drop it, and the
/// reconciler requests it again should the Scheduler lose it).
/// </summary>
public sealed partial class RetryTaskEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    TaskMetrics metrics,
    TimeProvider clock,
    ILogger<RetryTaskEndpoint> logger) : Endpoint<TaskIdRequest, Results<Ok<TaskResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/{id}/retry");
        Group<TasksGroup>();
        Policies(ApiAccess.TasksWrite);
        Description(endpoint => endpoint
            .WithName("RetryTask")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict));
        Summary(summary =>
        {
            summary.Summary = "Retry a failed task";
            summary.Description = "A task in 'error' gets one more attempt of the same task, due now: it becomes 'new' with attempts + 1, " +
                "keeps its error until the new attempt reports, and runs through the Scheduler as an automatic retry does. " +
                "Any other status answers 409 naming it; of two retries at once, one makes the attempt and the other answers 409.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a GUID.";
            summary.Responses[StatusCodes.Status404NotFound] = "No task has this id, or an app asks for a task it did not create.";
            summary.Responses[StatusCodes.Status409Conflict] = "The task is not in 'error' (the problem names its status).";
        });
    }

    public override async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> ExecuteAsync(TaskIdRequest request, CancellationToken ct)
    {
        var id = request.Id;
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var (task, retried) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The row lock orders two retries (a double click) and a late status event: each sees the other's result.
            var task = await db.Tasks.FromSql($"SELECT * FROM tasks WHERE id = {id} FOR UPDATE").VisibleTo(User).SingleOrDefaultAsync(ct);
            if (task is not { Status: TaskItemStatus.Error })
            {
                return (task, false);
            }
            task.Status = TaskItemStatus.New;
            task.Attempts++;
            task.ScheduledFor = now;
            task.FinishedAt = null;
            var payload = task.Payload is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(task.Payload);
            db.OutboxMessages.Add(TaskWork.Enqueue(task.Id, task.Name, payload, task.Attempts, now, TaskCreation.CurrentTraceParent(), now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (task, true);
        });

        if (task is null)
        {
            return TaskProblems.NotFound(id);
        }
        if (!retried)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Task not failed",
                detail: $"Task '{id}' is {TaskItemStatusNames.Of(task.Status)}; only a task in error can be retried.");
        }
        outbox.Notify();
        metrics.Retried();
        LogRetried(logger, task.Id, task.Attempts);
        return TypedResults.Ok(TaskResponse.From(task));
    }

    [LoggerMessage(LogLevel.Information, "Task {TaskId} retried on request as attempt {Attempt}")]
    private static partial void LogRetried(ILogger logger, Guid taskId, int attempt);
}
