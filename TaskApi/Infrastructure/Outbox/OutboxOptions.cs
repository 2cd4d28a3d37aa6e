namespace TaskApi.Infrastructure.Outbox;

/// <summary>Bound from the <c>Outbox</c> section.</summary>
public sealed class OutboxOptions
{
    /// <summary>Records published per transaction.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>How often the relay looks for records other instances (or a crashed one) left behind.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts while Kafka or the database is failing.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sent records are kept this long (for inspection), then deleted.</summary>
    public TimeSpan RetainSent { get; set; } = TimeSpan.FromHours(1);
}
