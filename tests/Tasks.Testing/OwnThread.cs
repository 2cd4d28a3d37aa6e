namespace Tasks.Testing;

/// <summary>
/// Runs a blocking read (a Kafka consumer's Consume loop) on a thread of its own. On the thread pool it would hold a pool
/// thread for as long as it waits; two such readers take a 2-core machine's minimum, and the pool then adds a thread only
/// every half second or so, which stalls the services under test (a rate limit's permitted calls arrive bunched).
/// </summary>
public static class OwnThread
{
    public static Task<T> RunAsync<T>(Func<T> blocking) =>
        Task.Factory.StartNew(blocking, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
