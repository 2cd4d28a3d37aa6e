namespace ScheduleBench;

/// <summary>How late the occurrences' work was created (or started): each one's time minus the second it was due.</summary>
internal sealed record Lateness(int Count, double P50Ms, double P99Ms, double MaxMs)
{
    public static Lateness Of(List<double> lateMs)
    {
        lateMs.Sort();
        return lateMs.Count == 0
            ? new Lateness(0, double.NaN, double.NaN, double.NaN)
            : new Lateness(lateMs.Count, lateMs[lateMs.Count / 2], lateMs[Math.Min(lateMs.Count - 1, (int)(lateMs.Count * 0.99))], lateMs[^1]);
    }

    public string Describe() =>
        $"{Count:N0} after their second by p50 {P50Ms:N0} ms, p99 {P99Ms:N0} ms, max {MaxMs:N0} ms";
}
