using System.ComponentModel.DataAnnotations;
using Tasks.Shared;

namespace Scheduler;

/// <summary>The Scheduler's settings, bound from the <c>Scheduler</c> section.</summary>
public sealed class SchedulerOptions : IValidatableObject
{
    public const string SectionName = "Scheduler";

    /// <summary>
    /// How many due entries one claim takes (one Redis round trip); more entries per claim, more throughput. At most
    /// 2000, which keeps the scripts' argument lists within Lua's limit.
    /// </summary>
    [Range(1, 2000)]
    public int ReleaseBatchSize { get; set; } = 1000;

    /// <summary>
    /// Each claim takes the entries due within the next poll interval (each is then produced at its own due time), and
    /// the releaser sleeps this long when a claim finds none. An entry stored less than this before its due time (or
    /// after it) may be released up to this late. Each poll is a Redis script: an idle Scheduler kept 9 % of a core busy
    /// at 10 ms, 4 % at 50 ms (its consumers' fetches included).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:05")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a claimed entry belongs to the instance that claimed it. If that instance has not acknowledged the
    /// release by then (it crashed), the next claim of any instance takes the entry again. The Kafka producer's
    /// delivery timeout is half of this, so a release still in progress is never taken over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a cancel is remembered: a request for the same id arriving within this time (its topic is not
    /// ordered with the cancels topic) is ignored. Costs about 100 bytes of Redis memory per cancel.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan CancelledRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a released id is remembered: a repeated request for it within this time (Kafka redelivery, a
    /// producer's retry) is ignored instead of being delivered again. Costs about 100 bytes of Redis memory per release.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan ReleasedRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Prefix of every Redis key the Scheduler uses, so several deployments (or tests) share one Redis. On a Redis
    /// Cluster use a hash tag such as <c>{scheduler}:</c>, which puts all keys in one slot as the scripts require.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string KeyPrefix { get; set; } = "scheduler:";

    /// <summary>
    /// The topics the Scheduler releases to (<c>Scheduler:ReleaseTopics:0</c>, ...); absent: <see cref="KafkaTopics.Scheduled"/>,
    /// the topics TaskApi schedules to. A request naming another topic is dead-lettered to <c>scheduler.dlq</c> with the
    /// reason, and an entry stored for one (before the list was narrowed) is dropped when due, never released. Not the
    /// Scheduler's own topics (a request releasing a request would loop).
    /// </summary>
    public string[]? ReleaseTopics { get; set; }

    /// <summary><see cref="ReleaseTopics"/>, or the default when it is not set (an array bound over a default would be appended to).</summary>
    public IReadOnlySet<string> AllowedTopics => _allowedTopics ??= (ReleaseTopics ?? [.. KafkaTopics.Scheduled]).ToHashSet(StringComparer.Ordinal);

    private IReadOnlySet<string>? _allowedTopics;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReleaseTopics is { Length: 0 })
        {
            yield return new ValidationResult("ReleaseTopics must name at least one topic (or be absent for the default).", [nameof(ReleaseTopics)]);
        }
        foreach (var topic in ReleaseTopics ?? [])
        {
            if (!KafkaTopics.IsValidName(topic))
            {
                yield return new ValidationResult($"ReleaseTopics: '{topic}' is not a Kafka topic name.", [nameof(ReleaseTopics)]);
            }
            else if (topic is KafkaTopics.SchedulerRequests or KafkaTopics.SchedulerCancels or KafkaTopics.SchedulerDeadLetter)
            {
                yield return new ValidationResult($"ReleaseTopics: '{topic}' is the Scheduler's own topic.", [nameof(ReleaseTopics)]);
            }
        }
    }
}
