using Tasks.Shared;

namespace TaskWorker.Work;

/// <summary>The task runs' log messages, source-generated; task ids are structured properties.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Task {TaskId} ({TaskName}) is in progress, running for {Duration}")]
    public static partial void TaskInProgress(this ILogger logger, Guid taskId, string taskName, TimeSpan duration);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Task {TaskId} finished with status {Status}")]
    public static partial void TaskFinished(this ILogger logger, Guid taskId, TaskRunStatus status);
}
