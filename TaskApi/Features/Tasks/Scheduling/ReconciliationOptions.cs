namespace TaskApi.Features.Tasks.Scheduling;

/// <summary>Bound from the <c>Reconciliation</c> section.</summary>
public sealed class ReconciliationOptions
{
    /// <summary>How often waiting schedules are requested again; each is requested about twice before it is due.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A task still <c>new</c> this long after it was due is requested to run now.</summary>
    public TimeSpan OverdueAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most schedules requested in one pass (one transaction).</summary>
    public int MaxPerPass { get; set; } = 10_000;
}
