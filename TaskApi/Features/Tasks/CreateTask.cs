using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Model;

namespace TaskApi.Features.Tasks;

/// <summary>A task to create.</summary>
/// <param name="Name">What the task is called: 1 to 200 characters, no control characters.</param>
/// <param name="Payload">Any JSON value handed to the worker with the task; at most 64 KiB.</param>
/// <param name="RunAt">Run no earlier than this (ISO-8601 with an offset); a time in the past runs now; at most one year ahead.</param>
/// <param name="DelaySeconds">Run this many seconds from now (0 to 31,536,000); not together with runAt.</param>
/// <param name="MaxAttempts">Attempts in all when a run ends in error (1 to 10, default 1): retries wait an exponential backoff with jitter.</param>
public sealed record CreateTaskRequest(
    string Name,
    JsonElement? Payload,
    [property: JsonConverter(typeof(OffsetRequiredDateTimeConverter))] DateTimeOffset? RunAt = null,
    int? DelaySeconds = null,
    int? MaxAttempts = null);

/// <summary>The body and the optional Idempotency-Key header of <c>POST /tasks</c>.</summary>
/// <param name="Task">The task to create.</param>
/// <param name="IdempotencyKey">
/// Optional key (1 to 200 visible ASCII characters). Repeating a POST with the same key returns the
/// task the first POST created (200) instead of creating another.
/// </param>
public sealed record CreateTaskCommand(
    [FromBody] CreateTaskRequest Task,
    [FromHeader(Name = CreateTaskCommand.IdempotencyKeyHeader)] string? IdempotencyKey)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The task this command creates; deferred when it is due after <paramref name="now"/>.</summary>
    public TaskItem ToNewTask(DateTimeOffset now)
    {
        // PostgreSQL stores instants; Npgsql writes them only in UTC.
        var due = Task.RunAt?.ToUniversalTime() ?? (Task.DelaySeconds is { } delay ? now.AddSeconds(delay) : null);
        return TaskItem.CreateNew(Task.Name, Task.Payload, IdempotencyKey, now,
            scheduledFor: due > now ? due : null,
            maxAttempts: Task.MaxAttempts ?? 1);
    }
}

public sealed class CreateTaskCommandValidator : AbstractValidator<CreateTaskCommand>
{
    public const int MaxNameLength = 200;
    public const int MaxPayloadBytes = 64 * 1024;
    public const int MaxIdempotencyKeyLength = 200;
    public const int MaxAttempts = 10;
    public static readonly TimeSpan MaxDeferral = TimeSpan.FromDays(365);

    public CreateTaskCommandValidator(TimeProvider clock)
    {
        RuleFor(c => c.Task.Name)
            .NotEmpty()
            .MaximumLength(MaxNameLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");

        RuleFor(c => c.Task.Payload)
            .Must(payload => payload is null || Encoding.UTF8.GetByteCount(payload.Value.GetRawText()) <= MaxPayloadBytes)
            .WithMessage($"'{{PropertyName}}' must be at most {MaxPayloadBytes} bytes of JSON.")
            .Must(payload => payload is null || TextRules.HasOnlyValidUnicode(payload.Value))
            .WithMessage("'{PropertyName}' must not contain unpaired surrogate escapes such as \\ud800.");

        RuleFor(c => c.Task.RunAt)
            .Must(runAt => runAt <= clock.GetUtcNow() + MaxDeferral)
            .WithMessage("'{PropertyName}' must be at most one year ahead.")
            .When(c => c.Task.RunAt is not null);

        RuleFor(c => c.Task.DelaySeconds)
            .InclusiveBetween(0, (int)MaxDeferral.TotalSeconds)
            .When(c => c.Task.DelaySeconds is not null);

        RuleFor(c => c.Task.DelaySeconds)
            .Null().WithMessage("Give either 'runAt' or 'delaySeconds', not both.")
            .When(c => c.Task.RunAt is not null);

        RuleFor(c => c.Task.MaxAttempts)
            .InclusiveBetween(1, MaxAttempts)
            .When(c => c.Task.MaxAttempts is not null);

        RuleFor(c => c.IdempotencyKey)
            .Length(1, MaxIdempotencyKeyLength)
            .Matches("^[\x21-\x7E]+$").WithMessage("'{PropertyName}' must be visible ASCII characters without spaces.")
            .OverridePropertyName(CreateTaskCommand.IdempotencyKeyHeader)
            .WithName(CreateTaskCommand.IdempotencyKeyHeader)
            .When(c => c.IdempotencyKey is not null);
    }
}

public static partial class CreateTask
{
    public const string Source = "rest";

    public static async Task<Results<Created<TaskResponse>, Ok<TaskResponse>>> Handle(
        [AsParameters] CreateTaskCommand command,
        TasksDbContext db,
        OutboxSignal outbox,
        TaskMetrics metrics,
        TimeProvider clock,
        ILogger<CreateTaskCommand> logger,
        CancellationToken cancellationToken)
    {
        var task = command.ToNewTask(clock.GetUtcNow());
        var inserted = await TaskCreation.InsertAsync(db, [new NewTask(task, command.Task.Payload, TaskCreation.CurrentTraceParent())], cancellationToken);

        if (!inserted.Contains(task.Id))
        {
            // The idempotency key was used before (or by a concurrent request that committed first).
            var existing = await db.Tasks.AsNoTracking().SingleAsync(t => t.IdempotencyKey == command.IdempotencyKey, cancellationToken);
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
