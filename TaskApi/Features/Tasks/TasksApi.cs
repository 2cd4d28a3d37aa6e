using Microsoft.AspNetCore.Mvc;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Tasks;

public static class TasksApi
{
    /// <summary>Request bodies larger than this are refused with 413 before they are parsed.</summary>
    public const long MaxRequestBodyBytes = CreateTaskCommandValidator.MaxPayloadBytes + 8 * 1024;

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/tasks")
            .WithTags("Tasks")
            .AddEndpointFilterFactory(ValidationFilter.Create)
            .ProducesValidationProblem();

        api.MapPost("/", CreateTask.Handle)
            .WithName("CreateTask")
            .WithSummary("Create a task")
            .WithDescription("Stores a new task with status 'new' and queues it to run, at once or at runAt / after delaySeconds. With maxAttempts > 1 a failed run is retried after an exponential backoff. With an Idempotency-Key header, a repeated request returns the task the first one created (200) instead of creating another.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBodyBytes))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("/{id}", GetTask.Handle)
            .WithName("GetTask")
            .WithSummary("Get a task by id")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/{id}", CancelTask.Handle)
            .WithName("CancelTask")
            .WithSummary("Cancel a task that has not started")
            .WithDescription("A task still 'new' (waiting to run, deferred or waiting for a retry) becomes 'cancelled' and its schedule is dropped. A started or finished task answers 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/", ListTasks.Handle)
            .WithName("ListTasks")
            .WithSummary("List tasks, newest first")
            .WithDescription("Optionally filtered by status; paged with page (from 1) and pageSize (1..100, default 20).");

        return app;
    }
}
