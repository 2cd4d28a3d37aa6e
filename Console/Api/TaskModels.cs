using System.Text.Json;

namespace TasksConsole.Api;

/// <summary>A task as TaskApi shows it (<c>GET /tasks/{id}</c>).</summary>
public sealed record TaskItem(
    Guid Id,
    string Name,
    JsonElement? Payload,
    string Status,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    DateTimeOffset? ScheduledFor,
    int Attempts,
    int MaxAttempts)
{
    /// <summary>Only a task that has not started can be cancelled (TaskApi answers 409 otherwise).</summary>
    public bool CanBeCancelled => Status == TaskStatuses.New;
}

/// <summary>One page of <c>GET /tasks</c>: total counted up to 10,000 (<see cref="TotalCapped"/>: more match).</summary>
public sealed record TaskPage(IReadOnlyList<TaskItem> Items, int Page, int PageSize, long Total, bool TotalCapped);

/// <summary>A task's statuses as TaskApi names them.</summary>
public static class TaskStatuses
{
    public const string New = "new";
    public const string InProgress = "in_progress";
    public const string Success = "success";
    public const string Error = "error";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [New, InProgress, Success, Error, Cancelled];
}
