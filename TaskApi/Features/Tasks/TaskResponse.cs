using System.Text.Json;
using TaskApi.Model;

namespace TaskApi.Features.Tasks;

/// <summary>A task as the API shows it.</summary>
/// <param name="Id">The task's id.</param>
/// <param name="Name">The name given at creation.</param>
/// <param name="Payload">The JSON given at creation, unchanged; null when none was given.</param>
/// <param name="Status">new, in_progress, success or error.</param>
/// <param name="CreatedAt">When the task was accepted.</param>
/// <param name="StartedAt">When a worker started it; null until then.</param>
/// <param name="FinishedAt">When it reached success or error; null until then.</param>
/// <param name="Error">Why it failed; null unless the status is error.</param>
public sealed record TaskResponse(
    Guid Id,
    string Name,
    JsonElement? Payload,
    TaskItemStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    public static TaskResponse From(TaskItem task) => new(
        task.Id,
        task.Name,
        task.Payload is null ? null : JsonSerializer.Deserialize<JsonElement>(task.Payload),
        task.Status,
        task.CreatedAt,
        task.StartedAt,
        task.FinishedAt,
        task.Error);
}
