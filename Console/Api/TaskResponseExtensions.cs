namespace TasksConsole.Api;

/// <summary>What the console derives from a task as TaskApi shows it.</summary>
public static class TaskResponseExtensions
{
    /// <summary>Only a task that has not started can be cancelled (TaskApi answers 409 otherwise).</summary>
    public static bool CanBeCancelled(this TaskResponse task) => task.Status == TaskItemStatus.New;

    /// <summary>Only a task in error can be retried (TaskApi answers 409 otherwise).</summary>
    public static bool CanBeRetried(this TaskResponse task) => task.Status == TaskItemStatus.Error;

    /// <summary>The status as TaskApi names it (its query parameter and JSON value).</summary>
    public static string Name(this TaskItemStatus status) => status switch
    {
        TaskItemStatus.New => "new",
        TaskItemStatus.InProgress => "in_progress",
        TaskItemStatus.Success => "success",
        TaskItemStatus.Error => "error",
        TaskItemStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a status TaskApi names."),
    };
}
