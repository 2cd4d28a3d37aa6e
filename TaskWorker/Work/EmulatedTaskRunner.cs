using Microsoft.Extensions.Options;
using Tasks.Shared;

namespace TaskWorker.Work;

/// <summary>
/// Runs a task by emulation: reports <c>in_progress</c>, waits a random time between MinDelay and MaxDelay,
/// then reports <c>success</c>, or <c>error</c> with probability FailureProbability.
/// </summary>
internal sealed class EmulatedTaskRunner(
    TaskStatusPublisher statusPublisher,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    WorkerMetrics metrics,
    ILogger<EmulatedTaskRunner> logger)
{
    public const string EmulatedFailure = "Emulated failure";

    private readonly WorkerOptions _options = options.Value;

    public async Task RunAsync(TaskWorkItem item, CancellationToken cancellationToken)
    {
        metrics.RunStarted();
        try
        {
            var duration = _options.MinDelay + (_options.MaxDelay - _options.MinDelay) * Random.Shared.NextDouble();
            await statusPublisher.PublishAsync(item, TaskRunStatus.InProgress, error: null, cancellationToken);
            logger.TaskInProgress(item.TaskId, item.Name, duration);

            await Task.Delay(duration, time, cancellationToken);

            var failed = Random.Shared.NextDouble() < _options.FailureProbability;
            var outcome = failed ? TaskRunStatus.Error : TaskRunStatus.Success;
            await statusPublisher.PublishAsync(item, outcome, failed ? EmulatedFailure : null, cancellationToken);
            logger.TaskFinished(item.TaskId, outcome);
            metrics.RunFinished(outcome);
        }
        finally
        {
            metrics.RunEnded();
        }
    }
}
