using System.ComponentModel.DataAnnotations;

namespace TaskApi.Features.Tasks.Scheduling;

/// <summary>Bound from the <c>Reconciliation</c> section and validated at start-up.</summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "Reconciliation";

    /// <summary>How often waiting schedules are requested again; each is requested about twice before it is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A task still <c>new</c> this long after it was due is requested to run now.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan OverdueAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most schedules requested in one pass (one transaction).</summary>
    [Range(1, 1_000_000)]
    public int MaxPerPass { get; set; } = 10_000;

    /// <summary>The longest a task's run can take (TaskWorker's <c>Worker:MaxDelay</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan TaskRunTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one SMS attempt can take (TaskWorker's <c>Sms:Timeout</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SmsSendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one email attempt can take (TaskWorker's <c>Smtp:Timeout</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan EmailSendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Added to each timeout above: a worker's report reaches TaskApi through Kafka and a batch, and a worker waits for the
    /// rate limit. Work silent for its timeout plus this, on a channel silent as long, is dispatched again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SilenceMargin { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan TaskSilence => TaskRunTimeout + SilenceMargin;

    public TimeSpan SmsSilence => SmsSendTimeout + SilenceMargin;

    public TimeSpan EmailSilence => EmailSendTimeout + SilenceMargin;
}
