using System.ComponentModel.DataAnnotations;

namespace TaskWorker.Work;

/// <summary>How the worker runs tasks; bound from the <c>Worker</c> section and validated at start-up.</summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string SectionName = "Worker";

    /// <summary>Shortest emulated run.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MinDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest emulated run; each run takes a uniformly random time between the two.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Chance (0 to 1) that an emulated run ends in <c>error</c> instead of <c>success</c>.</summary>
    [Range(0.0, 1.0)]
    public double FailureProbability { get; set; } = 0.2;

    /// <summary>Most runs at once; when reached, the worker stops taking records until one finishes.</summary>
    [Range(1, int.MaxValue)]
    public int MaxInFlight { get; set; } = 10_000;

    /// <summary>
    /// How long a stopping worker lets its runs finish (and commits them); what is still running then is
    /// abandoned uncommitted and redelivered to the next owner of its partition.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinDelay > MaxDelay)
        {
            yield return new ValidationResult(
                $"MinDelay ({MinDelay}) must not be greater than MaxDelay ({MaxDelay}).",
                [nameof(MinDelay), nameof(MaxDelay)]);
        }
    }
}
