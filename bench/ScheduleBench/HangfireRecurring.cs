using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace ScheduleBench;

/// <summary>
/// The peer: Hangfire's recurring jobs on the same PostgreSQL server (Hangfire.PostgreSql), a server in this process
/// as a Hangfire user runs it, its recurring-job polling at 1 s instead of the default 15 s so it can be on time at all.
/// </summary>
internal static class HangfireRecurring
{
    private const int Workers = 50;
    private static readonly TimeSpan PollingInterval = TimeSpan.FromSeconds(1);
    private static readonly ConcurrentBag<DateTimeOffset> StartedAt = [];

    public static string Version => typeof(RecurringJob).Assembly.GetName().Version!.ToString(3);

    public static string Settings =>
        $"Hangfire: {Workers} workers, SchedulePollingInterval {PollingInterval.TotalSeconds:0} s (default 15 s), QueuePollInterval 200 ms, " +
        "jobs that do nothing; 'created' = the job's createdat in Hangfire's job table, 'started' = when the job ran";

    public static async Task<(Lateness Created, Lateness Started)> RunAsync(
        string connectionString, int count, Func<int, Func<DateTimeOffset, Task>, Task<DateTimeOffset>> dueSecond, Func<DateTimeOffset, string> cronOf,
        TimeSpan timeout)
    {
        var storage = GlobalConfiguration.Configuration.UsePostgreSqlStorage(postgres => postgres.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
        {
            QueuePollInterval = TimeSpan.FromMilliseconds(200),
            UseSlidingInvisibilityTimeout = true,
        }).Entry;
        var manager = new RecurringJobManager(storage);
        var due = await dueSecond(count, first =>
        {
            Console.WriteLine($"  registering {count:N0} Hangfire recurring jobs ...");
            var registered = Stopwatch.StartNew();
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
                manager.AddOrUpdate($"bench-{i}", () => Ran(), cronOf(first), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc }));
            Console.WriteLine($"  registered in {registered.Elapsed.TotalSeconds:0.0} s ({count / registered.Elapsed.TotalSeconds:N0}/s)");
            return Task.CompletedTask;
        });
        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = Workers, SchedulePollingInterval = PollingInterval }, storage))
        {
            var waited = Stopwatch.StartNew();
            while (StartedAt.Count < count)
            {
                if (waited.Elapsed > timeout)
                {
                    throw new TimeoutException($"Hangfire ran {StartedAt.Count:N0} of {count:N0} jobs in {timeout}.");
                }
                await Task.Delay(50);
            }
        }
        return (await CreatedAsync(connectionString, due), Lateness.Of(StartedAt.Select(at => (at - due).TotalMilliseconds).ToList()));
    }

    /// <summary>The job: notes when it ran.</summary>
    public static void Ran() => StartedAt.Add(DateTimeOffset.UtcNow);

    private static async Task<Lateness> CreatedAsync(string connectionString, DateTimeOffset due)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Hangfire stores UTC in timestamp without time zone.
        await using var command = new NpgsqlCommand("SELECT createdat FROM hangfire.job", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var late = new List<double>();
        while (await reader.ReadAsync())
        {
            late.Add((new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc)) - due).TotalMilliseconds);
        }
        return Lateness.Of(late);
    }
}
