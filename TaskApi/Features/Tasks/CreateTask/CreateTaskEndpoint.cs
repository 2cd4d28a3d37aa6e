using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Tasks.CreateTask;

/// <summary><c>POST /tasks</c>: stores a new task (through <see cref="GroupCommit"/>) and queues it to run.</summary>
public sealed partial class CreateTaskEndpoint(
    GroupCommit groupCommit,
    TasksDbContext db,
    OutboxSignal outbox,
    TaskMetrics metrics,
    TimeProvider clock,
    ILogger<CreateTaskEndpoint> logger) : Endpoint<CreateTaskRequest, Results<Created<TaskResponse>, Ok<TaskResponse>>>
{
    public const string Source = "rest";

    public override void Configure()
    {
        Post("/");
        Group<TasksGroup>();
        Policies(ApiAccess.TasksWrite);
        // The body and the header only: a query parameter must not overwrite a field of the body.
        RequestBinder(new RequestBinder<CreateTaskRequest>(BindingSource.JsonBody | BindingSource.Headers));
        MaxRequestBodySize(CreateTaskValidator.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("CreateTask")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Create a task";
            summary.Description = "Stores a new task with status 'new' and queues it to run, at once or at runAt / after delaySeconds. " +
                "With maxAttempts > 1 a failed run is retried after an exponential backoff. With an Idempotency-Key header, a repeated " +
                "request returns the task the first one created (200) instead of creating another. Keys are each caller's own: the same " +
                "key from another app or operator creates that caller's own task.";
            summary.Responses[StatusCodes.Status201Created] = "The task was created; Location is its address.";
            summary.Responses[StatusCodes.Status200OK] = "This caller's task with this Idempotency-Key existed already: that task, unchanged.";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {CreateTaskValidator.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<Results<Created<TaskResponse>, Ok<TaskResponse>>> ExecuteAsync(CreateTaskRequest request, CancellationToken ct)
    {
        var task = request.ToNewTask(clock.GetUtcNow(), User.Id());
        if (!await groupCommit.CreateAsync(new NewTask(task, request.Payload, TaskCreation.CurrentTraceParent())))
        {
            // The caller used the idempotency key before (or a concurrent request of its own committed first).
            var existing = await db.Tasks.AsNoTracking()
                .SingleAsync(t => t.CreatedBy == task.CreatedBy && t.IdempotencyKey == task.IdempotencyKey, ct);
            return TypedResults.Ok(TaskResponse.From(existing));
        }

        outbox.Notify();
        metrics.Created(Source);
        LogCreated(logger, task.Id, Source);
        return TypedResults.Created($"/tasks/{task.Id}", TaskResponse.From(task));
    }

    [LoggerMessage(LogLevel.Information, "Task {TaskId} created from {Source}")]
    public static partial void LogCreated(ILogger logger, Guid taskId, string source);
}
