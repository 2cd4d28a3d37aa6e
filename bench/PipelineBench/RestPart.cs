using System.Diagnostics;

namespace PipelineBench;

/// <summary>
/// Part 1: sustained POST /tasks at a few concurrency levels with the whole pipeline running (the worker with short
/// runs, so it keeps up and the relay, worker and status updates all carry the full load).
/// </summary>
public static class RestPart
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    public static async Task RunAsync(BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        const string Part = "1 REST";
        var worker = options.WithoutWorker ? null : WorkerSetup.Short(options.ShortMaxInFlight);
        IRestLoad load = options.LoadGenerator == "wrk" ? new WrkLoad() : new HttpLoad();
        Report.Log($"REST: starting the pipeline ({worker?.ToString() ?? "TaskApi only, no worker"})");
        await using var pipeline = await BenchPipeline.StartAsync(options, worker);
        await using var db = await pipeline.OpenAsync();
        var api = pipeline.Api!.BaseAddress;
        report.Note($"REST load generator: {load.Description}.");
        report.Note(worker is null
            ? "REST: no worker running (--no-worker): TaskApi serves the POSTs and its outbox relay publishes them; nothing runs the tasks."
            : $"REST: {worker}; every created task also goes through the outbox relay, the worker and two status updates while the load runs.");

        Report.Log($"REST: warm-up, {options.RestWarmupSeconds} s at {options.RestConcurrency[0]} connections (not measured)");
        await load.RunAsync(api, options.RestConcurrency[0], TimeSpan.FromSeconds(options.RestWarmupSeconds), cancellationToken);
        var warm = await BenchPipeline.CountAsync(db);
        if (worker is not null && !await BenchPipeline.WaitAllTerminalAsync(db, warm.All, DrainTimeout, cancellationToken))
        {
            report.Note("REST: the warm-up tasks did not all finish within 120 s; the pipeline is not keeping up.");
        }

        foreach (var concurrency in options.RestConcurrency)
        {
            var before = await BenchPipeline.CountAsync(db);
            Report.Log($"REST: {options.RestSeconds} s at {concurrency} connections");
            var cpu = CpuWatch.Start(pipeline.Pids);
            var result = await load.RunAsync(api, concurrency, TimeSpan.FromSeconds(options.RestSeconds), cancellationToken);
            var usage = cpu.Stop();
            var after = await BenchPipeline.CountAsync(db);
            var drain = Stopwatch.StartNew();
            var drained = worker is not null && await BenchPipeline.WaitAllTerminalAsync(db, after.All, DrainTimeout, cancellationToken);
            drain.Stop();

            var stored = after.All - before.All;
            var finishedRate = (after.Terminal - before.Terminal) / result.Seconds;
            Report.Log($"REST c={concurrency}: {result.Rate:N0}/s, p50 {result.P50:0.0} ms, p90 {result.P90:0.0} ms, p99 {result.P99:0.0} ms, " +
                $"max {result.Max:0.0} ms, {result.Failed} failed; {stored:N0} rows stored; pipeline finished {finishedRate:N0} tasks/s during the load; " +
                (worker is null ? "no worker" : drained ? $"backlog drained {drain.Elapsed.TotalSeconds:0.0} s after the load" : "backlog NOT drained within 120 s"));

            var label = $"c={concurrency}, {options.RestSeconds} s";
            report.Figure(Part, $"creations/s ({label})", $"{result.Rate:N0}/s ({result.Succeeded:N0} created, {result.Failed} failed)", "≥ 2,000/s", result.Rate >= 2000);
            report.Figure(Part, $"latency p50 / p90 / p99 / max ({label})",
                $"{result.P50:0.0} / {result.P90:0.0} / {result.P99:0.0} / {result.Max:0.0} ms", "p99 ≤ 50 ms", result.P99 <= 50);
            if (worker is not null)
            {
                report.Figure(Part, $"pipeline behind the API ({label})",
                    $"finished {finishedRate:N0} tasks/s during the load; " + (drained ? $"rest done {drain.Elapsed.TotalSeconds:0.0} s after it" : "NOT drained in 120 s"));
            }
            report.Figure(Part, $"CPU ms per created task ({label})", PerTask(usage, stored));
            report.Cpu($"REST c={concurrency}", usage);
            if (stored != result.Succeeded)
            {
                report.Note($"REST c={concurrency}: the generator counted {result.Succeeded:N0} successful POSTs, the database gained {stored:N0} rows " +
                    "(requests in flight when the generator stopped are stored but not counted).");
            }
        }
        report.Note($"REST service logs: {string.Join(", ", pipeline.LogFiles)}");
    }

    /// <summary>CPU milliseconds each process spent per created task: robust against the machine being shared, unlike the rate.</summary>
    public static string PerTask(CpuUsage usage, long tasks)
    {
        double Ms(double percent) => tasks == 0 ? 0 : percent / 100 * usage.Seconds * 1000 / tasks;
        var pipeline = usage.Of("TaskApi") + usage.Of("TaskWorker") + usage.Postgres + usage.Broker;
        return $"TaskApi {Ms(usage.Of("TaskApi")):0.00}, PostgreSQL {Ms(usage.Postgres):0.00}, TaskWorker {Ms(usage.Of("TaskWorker")):0.00}, " +
            $"broker {Ms(usage.Broker):0.00}; sum {Ms(pipeline):0.00} ms → {(Ms(pipeline) > 0 ? 2000 / Ms(pipeline) : 0):N0}/s if they had both cores alone";
    }
}
