using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Model;

namespace TaskApi.Features.Tasks;

public static partial class CancelTask
{
    public static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> Handle(
        Guid id,
        TasksDbContext db,
        OutboxSignal outbox,
        TaskMetrics metrics,
        TimeProvider clock,
        ILogger<TaskResponse> logger,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().TruncateToMicroseconds();
        var (task, cancelled) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The row lock orders this against a concurrent status event: one of them sees the other's result.
            var task = await db.Tasks.FromSql($"SELECT * FROM tasks WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
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
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (task, true);
        });

        if (task is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Task not found", detail: $"No task has id '{id}'.");
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
