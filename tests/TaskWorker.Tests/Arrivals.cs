namespace TaskWorker.Tests;

/// <summary>How calls that reached a stand-in provider were spread in time, for the tests of a rate limit.</summary>
public static class Arrivals
{
    /// <summary>
    /// The most arrivals within any window of a second less <paramref name="jitter"/>: a permit is granted in Redis and
    /// the call arrives a moment later, sooner for some calls than for others, which the shorter window absorbs.
    /// </summary>
    public static int BusiestSecond(IReadOnlyList<DateTimeOffset> sortedArrivals, TimeSpan jitter) =>
        sortedArrivals.Select((start, i) => sortedArrivals.Skip(i).TakeWhile(at => at - start < TimeSpan.FromSeconds(1) - jitter).Count()).Max();

    /// <summary>The arrivals as milliseconds after the first, for failure messages.</summary>
    public static string Describe(IReadOnlyList<DateTimeOffset> sortedArrivals) =>
        string.Join(" ", sortedArrivals.Select(at => (int)(at - sortedArrivals[0]).TotalMilliseconds));
}
