using System.Text;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaskApi.Infrastructure;
using TaskApi.Model;

namespace TaskApi.Features.Tasks;

/// <summary>A task to create.</summary>
/// <param name="Name">What the task is called: 1 to 200 characters, no control characters.</param>
/// <param name="Payload">Any JSON value handed to the worker with the task; at most 64 KiB.</param>
public sealed record CreateTaskRequest(string Name, JsonElement? Payload);

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
}

public sealed class CreateTaskCommandValidator : AbstractValidator<CreateTaskCommand>
{
    public const int MaxNameLength = 200;
    public const int MaxPayloadBytes = 64 * 1024;
    public const int MaxIdempotencyKeyLength = 200;

    public CreateTaskCommandValidator()
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

        RuleFor(c => c.IdempotencyKey)
            .Length(1, MaxIdempotencyKeyLength)
            .Matches("^[\x21-\x7E]+$").WithMessage("'{PropertyName}' must be visible ASCII characters without spaces.")
            .OverridePropertyName(CreateTaskCommand.IdempotencyKeyHeader)
            .When(c => c.IdempotencyKey is not null);
    }
}

public static class CreateTask
{
    public static async Task<Results<Created<TaskResponse>, Ok<TaskResponse>>> Handle(
        [AsParameters] CreateTaskCommand command,
        TasksDbContext db,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var key = command.IdempotencyKey;
        if (key is not null && await FindByIdempotencyKey(db, key, cancellationToken) is { } existing)
        {
            return TypedResults.Ok(TaskResponse.From(existing));
        }

        var task = new TaskItem
        {
            Id = Guid.CreateVersion7(),
            Name = command.Task.Name,
            Payload = command.Task.Payload?.GetRawText(),
            Status = TaskItemStatus.New,
            CreatedAt = clock.GetUtcNow().TruncateToMicroseconds(),
            IdempotencyKey = key,
        };
        db.Tasks.Add(task);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (key is not null && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent request with the same key committed first: answer with its task.
            db.ChangeTracker.Clear();
            var winner = await FindByIdempotencyKey(db, key, cancellationToken)
                ?? throw new InvalidOperationException($"Task with idempotency key '{key}' vanished after a unique violation.", e);
            return TypedResults.Ok(TaskResponse.From(winner));
        }

        return TypedResults.Created($"/tasks/{task.Id}", TaskResponse.From(task));
    }

    private static Task<TaskItem?> FindByIdempotencyKey(TasksDbContext db, string key, CancellationToken cancellationToken) =>
        db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.IdempotencyKey == key, cancellationToken);
}
