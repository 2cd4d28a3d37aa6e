using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Tasks.Testing;

namespace PipelineBench;

/// <summary>
/// Part 4: the workloads of parts 1 and 3 through Hangfire 1.8 on the same PostgreSQL (bench/HangfirePeer: a web
/// process enqueuing one job per POST /tasks and running the jobs in its own Hangfire server), so one run prints how
/// the pipeline compares with what .NET teams pick today. The same REST load (warm-up, then each concurrency for the
/// same time, short jobs of 50-150 ms); then N jobs of 5-10 s, POSTed over 64 connections, until all have run.
/// </summary>
public static class HangfirePart
{
    private const string Part = "4 Hangfire peer";
    private const string Peer = "bench/HangfirePeer";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(300);

    public static async Task RunAsync(BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        var load = IRestLoad.Chosen(options);
        report.Note($"Hangfire: Hangfire 1.8 with Hangfire.PostgreSql 1.21 on the same server (sliding invisibility timeout), queue poll {PollInterval.TotalSeconds} s; " +
            $"{RestWorkers} workers for the short jobs, {options.HangfireLongWorkers} for the long ones (Hangfire's default here: 10; each worker is a thread running one job).");

        await using (var peer = await StartAsync(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150), RestWorkers))
        {
            Report.Log($"Hangfire REST: warm-up, {options.RestWarmupSeconds} s at {options.RestConcurrency[0]} connections (not measured)");
            // The peer has no authentication: its POSTs carry no token.
            var request = LoadRequest.CreateTask(peer.Api.BaseAddress, bearerToken: null);
            await load.RunAsync(request, options.RestConcurrency[0], TimeSpan.FromSeconds(options.RestWarmupSeconds), cancellationToken);
            await WaitAllRunAsync(peer.Db, DrainTimeout, cancellationToken);
            foreach (var concurrency in options.RestConcurrency)
            {
                var before = await CountAsync(peer.Db);
                Report.Log($"Hangfire REST: {options.RestSeconds} s at {concurrency} connections");
                var cpu = CpuWatch.Start(peer.Pids);
                var result = await load.RunAsync(request, concurrency, TimeSpan.FromSeconds(options.RestSeconds), cancellationToken);
                var usage = cpu.Stop();
                var after = await CountAsync(peer.Db);
                var drain = Stopwatch.StartNew();
                var drained = await WaitAllRunAsync(peer.Db, DrainTimeout, cancellationToken);

                var label = $"c={concurrency}, {options.RestSeconds} s";
                var finishedRate = (after.Terminal - before.Terminal) / result.Seconds;
                report.Figure(Part, $"enqueued/s ({label})", $"{result.Rate:N0}/s ({result.Succeeded:N0} enqueued, {result.Failed} failed)");
                report.Figure(Part, $"latency p50 / p90 / p99 / max ({label})", $"{result.P50:0.0} / {result.P90:0.0} / {result.P99:0.0} / {result.Max:0.0} ms");
                report.Figure(Part, $"jobs behind the API ({label})",
                    $"finished {finishedRate:N0} jobs/s during the load; " + (drained ? $"rest done {drain.Elapsed.TotalSeconds:0.0} s after it" : $"NOT drained in {DrainTimeout.TotalSeconds:0} s"));
                report.Figure(Part, $"CPU ms per job ({label})", PerJob(usage, after.All - before.All));
                report.Cpu($"Hangfire REST c={concurrency}", usage);
            }
            report.Note($"Hangfire REST log: {peer.Api.LogFile}");
        }

        var count = options.LongTasks;
        await using (var peer = await StartAsync(options.LongRun.Min, options.LongRun.Max, options.HangfireLongWorkers))
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = peer.Api.BaseAddress };
            Report.Log($"Hangfire long: submitting {count:N0} jobs of {options.LongRunText} over REST");
            var cpu = CpuWatch.Start(peer.Pids);
            var clock = Stopwatch.StartNew();
            var submitSeconds = await LongPart.PostAllAsync(http, count, "long ", cancellationToken);
            var lastSubmission = clock.Elapsed;
            var done = await WaitAllRunAsync(peer.Db, DrainTimeout, cancellationToken, progress: true);
            var afterLast = clock.Elapsed - lastSubmission;
            var usage = cpu.Stop();
            var (succeeded, failed) = await OutcomeAsync(peer.Db);

            report.Figure(Part, $"{count:N0} jobs of {options.LongRunText} submitted (REST)", $"{submitSeconds:0.00} s = {count / submitSeconds:N0}/s");
            report.Figure(Part, "last submission → all succeeded|failed", done ? $"{afterLast.TotalSeconds:0.0} s" : $"NOT done in {DrainTimeout.TotalSeconds:0} s");
            report.Figure(Part, "outcome", $"{succeeded:N0} succeeded, {failed:N0} failed, {count - succeeded - failed:N0} unfinished");
            report.Cpu($"Hangfire long {count:N0}", usage);
            report.Note($"Hangfire long log: {peer.Api.LogFile}");
        }
    }

    private const int RestWorkers = 50;
    // An idle worker's wait before it asks again (Hangfire.PostgreSql's default is 15 s, which would dominate every
    // measure here); a worker that just finished a job asks at once.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private static async Task<RunningPeer> StartAsync(TimeSpan minDelay, TimeSpan maxDelay, int workers)
    {
        var database = await PostgresDatabase.CreateAsync();
        try
        {
            var api = await ServiceProcess.StartAsync(Peer, new Dictionary<string, string>
            {
                // Each worker polling and each enqueue takes a connection: within PostgreSQL's 100 (Debian's max_connections),
                // they wait for one in the pool instead of being refused by the server.
                ["ConnectionStrings__hangfire"] = $"{database.ConnectionString};Maximum Pool Size=80",
                ["Peer__MinDelay"] = minDelay.ToString("c"),
                ["Peer__MaxDelay"] = maxDelay.ToString("c"),
                ["Peer__WorkerCount"] = workers.ToString(CultureInfo.InvariantCulture),
                ["Peer__QueuePollInterval"] = PollInterval.ToString("c"),
                // Hangfire logs every job's start and end at Information: as the pipeline's services log theirs.
            }, StartTimeout);
            var db = new NpgsqlConnection(database.ConnectionString);
            await db.OpenAsync();
            return new RunningPeer(database, api, db, new Dictionary<string, int> { ["Hangfire"] = api.Pid });
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private static async Task<(long All, long Terminal)> CountAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*), count(*) FILTER (WHERE statename IN ('Succeeded', 'Failed')) FROM hangfire.job", db);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<(long Succeeded, long Failed)> OutcomeAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE statename = 'Succeeded'), count(*) FILTER (WHERE statename = 'Failed') FROM hangfire.job", db);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<bool> WaitAllRunAsync(NpgsqlConnection db, TimeSpan timeout, CancellationToken cancellationToken, bool progress = false)
    {
        var deadline = DateTime.UtcNow + timeout;
        var lastPrint = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            var (all, terminal) = await CountAsync(db);
            if (terminal == all)
            {
                return true;
            }
            if (progress && DateTime.UtcNow - lastPrint >= TimeSpan.FromSeconds(5))
            {
                Report.Log($"  {terminal:N0} of {all:N0} jobs finished");
                lastPrint = DateTime.UtcNow;
            }
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }

    private static string PerJob(CpuUsage usage, long jobs)
    {
        double Ms(double percent) => jobs == 0 ? 0 : percent / 100 * usage.Seconds * 1000 / jobs;
        var sum = usage.Of("Hangfire") + usage.Postgres;
        return $"Hangfire {Ms(usage.Of("Hangfire")):0.00}, PostgreSQL {Ms(usage.Postgres):0.00}; sum {Ms(sum):0.00} ms";
    }

    private sealed record RunningPeer(PostgresDatabase Database, ServiceProcess Api, NpgsqlConnection Db, Dictionary<string, int> Pids) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Db.DisposeAsync();
            await Api.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await Database.DisposeAsync();
        }
    }
}
