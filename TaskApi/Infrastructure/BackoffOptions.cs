namespace TaskApi.Infrastructure;

/// <summary>The backoff before a failed attempt runs again (tasks: the <c>Retries</c> section; SMS: <c>Mailings:Retries</c>).</summary>
public sealed class BackoffOptions
{
    /// <summary>The wait after the first failure; it doubles with every further failure.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait, however many failures.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>When attempt <paramref name="failedAttempt"/> failed at <paramref name="failedAt"/>, the next runs at the returned time.</summary>
    public DateTimeOffset NextAttemptAt(DateTimeOffset failedAt, int failedAttempt)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, failedAttempt - 1);
        // Jitter (±50%) spreads tasks that failed together, so their retries do not arrive as one burst.
        var jittered = Math.Min(MaxDelay.TotalMilliseconds, exponential) * (0.5 + Random.Shared.NextDouble());
        return failedAt + TimeSpan.FromMilliseconds(jittered);
    }
}
