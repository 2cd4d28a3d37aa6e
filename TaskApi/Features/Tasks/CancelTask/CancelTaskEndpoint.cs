using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Model;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Tasks.CancelTask;

/// <summary><c>DELETE /tasks/{id}</c>: cancels a task that has not started, and drops its schedule.</summary>
public sealed partial class CancelTaskEndpoint(
    TasksDbContext db,
    OutboxSignal outbox,
    TaskMetrics metrics,
    TimeProvider clock,
    ILogger<CancelTaskEndpoint> logger) : Endpoint<TaskIdRequest, Results<Ok<TaskResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/{id}");
        Group<TasksGroup>();
        Policies(ApiAccess.TasksWrite);
        Description(endpoint => endpoint
            .WithName("CancelTask")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict));
        Summary(summary =>
        {
            summary.Summary = "Cancel a task that has not started";
            summary.Description = "A task still 'new' (waiting to run, deferred or waiting for a retry) becomes 'cancelled' and its " +
                "schedule is dropped; cancelling it again answers the same. A started or finished task answers 409.";
            summary.Responses[StatusCodes.Status400BadRequest] = "The id is not a GUID.";
            summary.Responses[StatusCodes.Status404NotFound] = "No task has this id, or an app asks for a task it did not create.";
            summary.Responses[StatusCodes.Status409Conflict] = "The task has started or finished.";
        });
    }

    public override async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> ExecuteAsync(TaskIdRequest request, CancellationToken ct)
    {
        var id = request.Id;
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var (task, cancelled) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The row lock orders this against a concurrent status event: one of them sees the other's result.
            var task = await db.Tasks.FromSql($"SELECT * FROM tasks WHERE id = {id} FOR UPDATE").VisibleTo(User).SingleOrDefaultAsync(ct);
            if (task is not { Status: TaskItemStatus.New })
            {
                return (task, false);
            }
            if (task.ScheduledFor is not null)
            {
                db.OutboxMessages.Add(TaskWork.CancelSchedule(task.Id, task.Attempts, TaskCreation.CurrentTraceParent(), now));
            }
            task.Status = TaskItemStatus.Cancelled;
            task.FinishedAt = now;
            task.ScheduledFor = null;
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (task, true);
        });

        if (task is null)
        {
            return TaskProblems.NotFound(id);
        }
        if (cancelled)
        {
            outbox.Notify();
            metrics.Finished(TaskItemStatus.Cancelled);
            LogCancelled(logger, task.Id);
        }
        // Cancelling a cancelled task again is not an error: the client gets what it asked for.
        return task.Status == TaskItemStatus.Cancelled
            ? TypedResults.Ok(TaskResponse.From(task))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Task already started",
                detail: $"Task '{id}' is {TaskItemStatusNames.Of(task.Status)}; only a task that has not started can be cancelled.");
    }

    [LoggerMessage(LogLevel.Information, "Task {TaskId} cancelled")]
    private static partial void LogCancelled(ILogger logger, Guid taskId);
}
