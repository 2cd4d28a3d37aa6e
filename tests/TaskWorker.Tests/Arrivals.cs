namespace TaskWorker.Tests;

/// <summary>How calls that reached a stand-in provider were spread in time, for the tests of a rate limit.</summary>
public static class Arrivals
{
    /// <summary>
    /// How much later than its permit a call may reach the stand-in: a permit is granted in Redis and the call arrives a
    /// moment later, sooner for some calls than for others. Both workers run in the test process, so on a loaded two-core
    /// machine a thread-pool stall delays a group of calls at once (six calls 143 ms late were seen on CI). A limiter
    /// that lets twice its rate through still shows far more than its limit within the shortened window.
    /// </summary>
    public static readonly TimeSpan PermitToArrivalJitter = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The most arrivals within any window of a second less <paramref name="jitter"/>: a permit is granted in Redis and
    /// the call arrives a moment later, sooner for some calls than for others, which the shorter window absorbs.
    /// </summary>
    public static int BusiestSecond(IReadOnlyList<DateTimeOffset> sortedArrivals, TimeSpan jitter) =>
        sortedArrivals.Select((start, i) => sortedArrivals.Skip(i).TakeWhile(at => at - start < TimeSpan.FromSeconds(1) - jitter).Count()).Max();

    /// <summary>
    /// Asserts what a sliding window of <paramref name="maxPerSecond"/> lets through: never more within a second (less
    /// <paramref name="jitter"/>), and, since the first maxPerSecond go at once and each next one a second after the one
    /// maxPerSecond before it, a span of at least (count - maxPerSecond) / maxPerSecond seconds.
    /// </summary>
    public static void AssertWithinSlidingWindow(IReadOnlyList<DateTimeOffset> sortedArrivals, int maxPerSecond, TimeSpan jitter)
    {
        var busiest = BusiestSecond(sortedArrivals, jitter);
        Assert.True(busiest <= maxPerSecond, $"{busiest} calls within a second; arrivals (ms after the first): {Describe(sortedArrivals)}");
        var span = sortedArrivals[^1] - sortedArrivals[0];
        var shortest = TimeSpan.FromSeconds((double)(sortedArrivals.Count - maxPerSecond) / maxPerSecond) - jitter;
        Assert.True(span >= shortest, $"{sortedArrivals.Count} calls within {span}");
    }

    /// <summary>The arrivals as milliseconds after the first, for failure messages.</summary>
    public static string Describe(IReadOnlyList<DateTimeOffset> sortedArrivals) =>
        string.Join(" ", sortedArrivals.Select(at => (int)(at - sortedArrivals[0]).TotalMilliseconds));
}
