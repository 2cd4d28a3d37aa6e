using System.Diagnostics;

namespace PipelineBench;

/// <summary>
/// Part 1: sustained POST /tasks at a few concurrency levels with the whole pipeline running (the worker with short
/// runs, so it keeps up and the relay, worker and status updates all carry the full load). The same load runs against
/// fresh pipelines in the order of <see cref="BenchOptions.RestHosts"/>: TaskApi with an app's token on every request,
/// and bench/UnauthenticatedApi without one, so the run prints what authentication costs beside the figures.
/// </summary>
public static class RestPart
{
    private const string Part = "1 REST";
    private const string CostPart = "1 REST: cost of auth";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    public static async Task RunAsync(BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        var worker = options.WithoutWorker ? null : WorkerSetup.Short(options.ShortMaxInFlight);
        var load = IRestLoad.Chosen(options);
        report.Note($"REST load generator: {load.Description}.");
        report.Note(worker is null
            ? "REST: no worker running (--no-worker): TaskApi serves the POSTs and its outbox relay publishes them; nothing runs the tasks."
            : $"REST: {worker}; every created task also goes through the outbox relay, the worker and two status updates while the load runs.");
        report.Note("REST with auth: TaskApi as production runs it; every POST carries an app's bearer token (client credentials, scope tasks), " +
            "which TaskApi validates (signature, issuer, audience, lifetime, revocation) and authorizes by scope.");
        report.Note("REST without auth: bench/UnauthenticatedApi, TaskApi's own Program hosted on Kestrel by WebApplicationFactory, with the " +
            "authorization middleware's IPolicyEvaluator replaced by one that authenticates every request as a fixed app (sub, name, " +
            "actor_kind app, scope 'tasks mailings campaigns notifications') and authorizes everything: no token is read or validated " +
            "and no policy evaluated, while the rest (createdBy, the audit log of writes) runs as with auth. Its POSTs carry no " +
            "Authorization header. Production code has no switch that turns authentication off.");
        report.Note($"REST: each run gets a fresh pipeline (databases, Kafka cluster, identity service, processes, so each starts " +
            $"from empty tables and a cold JIT, warmed up alike); order: {string.Join(", ", options.RestHosts.Select(Describe))}.");

        var runs = new List<Run>();
        foreach (var host in options.RestHosts)
        {
            var name = host == ApiHost.TaskApi ? "with auth" : $"without auth #{runs.Count(r => r.Host == host) + 1}";
            runs.Add(new Run(host, name, await MeasureAsync(options, report, load, worker, host, name, cancellationToken)));
        }
        Compare(options, report, runs);
    }

    /// <summary>One fresh pipeline under the load: a warm-up, then each concurrency level in turn.</summary>
    private static async Task<List<Window>> MeasureAsync(BenchOptions options, Report report, IRestLoad load, WorkerSetup? worker, ApiHost host,
        string name, CancellationToken cancellationToken)
    {
        Report.Log($"REST {name}: starting the pipeline ({worker?.ToString() ?? "TaskApi only, no worker"})");
        await using var pipeline = await BenchPipeline.StartAsync(options, worker, host);
        await using var db = await pipeline.OpenAsync();
        var request = pipeline.CreateTaskRequest;

        await request.EnsureAcceptedAsync(cancellationToken);
        Report.Log($"REST {name}: warm-up, {options.RestWarmupSeconds} s at {options.RestConcurrency[0]} connections (not measured)");
        await load.RunAsync(request, options.RestConcurrency[0], TimeSpan.FromSeconds(options.RestWarmupSeconds), cancellationToken);
        var warm = await BenchPipeline.CountAsync(db);
        if (worker is not null && !await BenchPipeline.WaitAllTerminalAsync(db, warm.All, DrainTimeout, cancellationToken))
        {
            report.Note($"REST {name}: the warm-up tasks did not all finish within 120 s; the pipeline is not keeping up.");
        }

        var windows = new List<Window>();
        foreach (var concurrency in options.RestConcurrency)
        {
            var before = await BenchPipeline.CountAsync(db);
            Report.Log($"REST {name}: {options.RestSeconds} s at {concurrency} connections");
            var cpu = CpuWatch.Start(pipeline.Pids);
            var result = await load.RunAsync(request, concurrency, TimeSpan.FromSeconds(options.RestSeconds), cancellationToken);
            var usage = cpu.Stop();
            var after = await BenchPipeline.CountAsync(db);
            var drain = Stopwatch.StartNew();
            var drained = worker is not null && await BenchPipeline.WaitAllTerminalAsync(db, after.All, DrainTimeout, cancellationToken);
            drain.Stop();

            var stored = after.All - before.All;
            var finishedRate = (after.Terminal - before.Terminal) / result.Seconds;
            var cost = CpuPerTask.Of(usage, stored);
            Report.Log($"REST {name} c={concurrency}: {result.Rate:N0}/s, p50 {result.P50:0.0} ms, p90 {result.P90:0.0} ms, p99 {result.P99:0.0} ms, " +
                $"max {result.Max:0.0} ms, {result.Failed} failed; {stored:N0} rows stored; pipeline finished {finishedRate:N0} tasks/s during the load; " +
                (worker is null ? "no worker" : drained ? $"backlog drained {drain.Elapsed.TotalSeconds:0.0} s after the load" : "backlog NOT drained within 120 s"));

            // With auth is production's configuration: its figures are the part's own, against the part's targets.
            var label = $"c={concurrency}, {options.RestSeconds} s";
            if (host == ApiHost.TaskApi)
            {
                report.Figure(Part, $"creations/s ({label})", $"{result.Rate:N0}/s ({result.Succeeded:N0} created, {result.Failed} failed)", "≥ 2,000/s", result.Rate >= 2000);
                report.Figure(Part, $"latency p50 / p90 / p99 / max ({label})",
                    $"{result.P50:0.0} / {result.P90:0.0} / {result.P99:0.0} / {result.Max:0.0} ms", "p99 ≤ 50 ms", result.P99 <= 50);
                if (worker is not null)
                {
                    report.Figure(Part, $"pipeline behind the API ({label})",
                        $"finished {finishedRate:N0} tasks/s during the load; " + (drained ? $"rest done {drain.Elapsed.TotalSeconds:0.0} s after it" : "NOT drained in 120 s"));
                }
                report.Figure(Part, $"CPU ms per created task ({label})", cost.ToString());
            }
            report.Cpu(host == ApiHost.TaskApi ? $"REST c={concurrency}" : $"REST {name} c={concurrency}", usage);
            if (stored != result.Succeeded)
            {
                report.Note($"REST {name} c={concurrency}: the generator counted {result.Succeeded:N0} successful POSTs, the database gained {stored:N0} rows " +
                    "(requests in flight when the generator stopped are stored but not counted).");
            }
            windows.Add(new Window(concurrency, result, cost));
        }
        report.Note($"REST {name} service logs: {string.Join(", ", pipeline.LogFiles)}");
        return windows;
    }

    /// <summary>
    /// Per concurrency level, the runs side by side and how much slower the one with auth is than the mean of those
    /// without; the spread of the runs without auth says how much of that the machine's drift alone could be.
    /// </summary>
    private static void Compare(BenchOptions options, Report report, List<Run> runs)
    {
        var withAuth = runs.Where(r => r.Host == ApiHost.TaskApi).ToList();
        var withoutAuth = runs.Where(r => r.Host == ApiHost.Unauthenticated).ToList();
        if (withAuth.Count == 0 || withoutAuth.Count == 0)
        {
            return;
        }
        var names = string.Join(" | ", runs.Select(r => r.Name));
        for (var level = 0; level < options.RestConcurrency.Count; level++)
        {
            var label = $"c={options.RestConcurrency[level]}, {options.RestSeconds} s";
            var windows = runs.Select(r => r.Windows[level]).ToList();
            string SideBySide(Func<Window, string> value) => string.Join(" | ", windows.Select(value));
            report.Figure(CostPart, $"creations/s: {names} ({label})", SideBySide(w => $"{w.Result.Rate:N0}/s"));
            report.Figure(CostPart, $"latency p50 / p99: {names} ({label})", SideBySide(w => $"{w.Result.P50:0.0} / {w.Result.P99:0.0} ms"));
            report.Figure(CostPart, $"CPU ms per task, TaskApi / pipeline: {names} ({label})", SideBySide(w => $"{w.Cost.TaskApi:0.000} / {w.Cost.Pipeline:0.00}"));

            var baseline = withoutAuth.Average(r => r.Windows[level].Result.Rate);
            var authRate = withAuth.Average(r => r.Windows[level].Result.Rate);
            var slowdown = (1 - authRate / baseline) * 100;
            var spread = (withoutAuth.Max(r => r.Windows[level].Result.Rate) - withoutAuth.Min(r => r.Windows[level].Result.Rate)) / baseline * 100;
            var apiCpu = withAuth.Average(r => r.Windows[level].Cost.TaskApi) - withoutAuth.Average(r => r.Windows[level].Cost.TaskApi);
            report.Figure(CostPart, $"with auth slower than without ({label})",
                $"{slowdown:0.0} % (rate with auth vs the mean without); the runs without auth differ by {spread:0.0} %; " +
                $"TaskApi CPU per task with auth {apiCpu:+0.000;-0.000} ms",
                "with auth ≤ 10 % slower", slowdown <= 10);
        }
    }

    private static string Describe(ApiHost host) => host == ApiHost.TaskApi ? "with auth" : "without auth";

    private sealed record Run(ApiHost Host, string Name, List<Window> Windows);

    private sealed record Window(int Concurrency, LoadResult Result, CpuPerTask Cost);
}

/// <summary>CPU milliseconds each process spent per created task: robust against the machine being shared, unlike the rate.</summary>
public sealed record CpuPerTask(double TaskApi, double Postgres, double Worker, double Broker)
{
    public double Pipeline => TaskApi + Postgres + Worker + Broker;

    public static CpuPerTask Of(CpuUsage usage, long tasks)
    {
        double Ms(double percent) => tasks == 0 ? 0 : percent / 100 * usage.Seconds * 1000 / tasks;
        return new CpuPerTask(Ms(usage.Of("TaskApi")), Ms(usage.Postgres), Ms(usage.Of("TaskWorker")), Ms(usage.Broker));
    }

    public override string ToString() =>
        $"TaskApi {TaskApi:0.00}, PostgreSQL {Postgres:0.00}, TaskWorker {Worker:0.00}, broker {Broker:0.00}; " +
        $"sum {Pipeline:0.00} ms → {(Pipeline > 0 ? 2000 / Pipeline : 0):N0}/s if they had both cores alone";
}
