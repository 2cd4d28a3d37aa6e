using System.Globalization;

namespace PipelineBench;

/// <summary>
/// Command-line options. Without a part switch every part runs; <c>--quick</c> shrinks every workload, <c>--smoke</c>
/// shrinks them to what only checks that every part still runs (CI).
/// </summary>
public sealed class BenchOptions
{
    public bool Quick { get; private set; }
    public bool Smoke { get; private set; }
    public bool RunRest { get; private set; }
    public bool RunIntake { get; private set; }
    public bool RunLong { get; private set; }
    public bool RunHangfire { get; private set; }
    public bool RunTokens { get; private set; }

    /// <summary>Hangfire workers (threads) for part 4's long jobs: enough to run them all at once, as TaskWorker does.</summary>
    public int HangfireLongWorkers { get; private set; }

    /// <summary>Seconds of load per REST concurrency level.</summary>
    public int RestSeconds { get; private set; }
    public int RestWarmupSeconds { get; private set; }
    public IReadOnlyList<int> RestConcurrency { get; private set; } = [16, 64];

    /// <summary>
    /// The REST part's pipelines, each fresh, in this order: without auth before and after the one with, so that a drift
    /// of the machine over the run shows as a difference between the two without.
    /// </summary>
    public IReadOnlyList<ApiHost> RestHosts { get; private set; } = [ApiHost.Unauthenticated, ApiHost.TaskApi, ApiHost.Unauthenticated];

    /// <summary>Seconds of token requests per grant and concurrency level, after a warm-up of <see cref="TokenWarmupSeconds"/>.</summary>
    public int TokenSeconds { get; private set; }
    public int TokenWarmupSeconds { get; private set; }
    public IReadOnlyList<int> TokenConcurrency { get; private set; } = [1, 4, 16];

    /// <summary>"wrk" (if on PATH) or "http" (an in-process HttpClient generator).</summary>
    public string LoadGenerator { get; private set; } = "";

    public int IntakeMessages { get; private set; }

    /// <summary>REST and intake measured with TaskApi alone (no worker; the outbox relay still publishes), to separate them from the rest of the pipeline.</summary>
    public bool WithoutWorker { get; private set; }

    /// <summary>Wait for all intake tasks to finish too (end-to-end throughput).</summary>
    public bool IntakeDrain { get; private set; } = true;

    /// <summary>Worker:MaxInFlight of the short-run worker used by the REST and intake parts (default: the worker's own default, 10,000).</summary>
    public int ShortMaxInFlight { get; private set; } = 10_000;

    public int LongTasks { get; private set; }
    public int LongMaxInFlight { get; private set; }

    /// <summary>
    /// How long each task of the long part and each long Hangfire job runs: the worker's default, 5-10 s (0.5-1 s in a
    /// smoke run, which measures nothing).
    /// </summary>
    public (TimeSpan Min, TimeSpan Max) LongRun { get; private set; }
    public string LongRunText => WorkerSetup.Runs(LongRun.Min, LongRun.Max);

    /// <summary>"kafka" (tasks.requests, the default) or "rest".</summary>
    public string LongSubmit { get; private set; } = "kafka";

    /// <summary>Partitions of tasks.requests, tasks.work and tasks.status (the others keep 4).</summary>
    public int Partitions { get; private set; } = 16;

    /// <summary>Logging:LogLevel:Default for the services; null keeps their own configuration (Information).</summary>
    public string? ServiceLogLevel { get; private set; }

    /// <summary><see cref="ServiceLogLevel"/> as the services' environment variables (none without it).</summary>
    public IReadOnlyDictionary<string, string> ServiceLogSettings => ServiceLogLevel is { } level
        ? new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = level,
            ["Logging__LogLevel__Microsoft.AspNetCore"] = level,
            // ServiceProcess learns the port from the "Now listening on" line.
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        }
        : new Dictionary<string, string>();

    /// <summary>Extra environment variables for TaskApi and TaskWorker (for experiments: what would a setting change).</summary>
    public Dictionary<string, string> ServiceEnvironment { get; } = [];

    /// <summary>Appended to TaskApi's connection string (e.g. "Maximum Pool Size=50"), for experiments.</summary>
    public string? DatabaseOptions { get; private set; }

    public static string Usage => """
        PipelineBench: throughput and latency of the task pipeline (identity service, TaskApi and TaskWorker processes,
        fresh PostgreSQL databases, embedded Kafka). Usage: dotnet run -c Release --project bench/PipelineBench -- [options]

          --quick                    small workloads for a sanity run (about 4 minutes)
          --smoke                    the smallest workloads (long tasks of 0.5-1 s), only to check that every part
                                     runs (CI; its figures mean nothing)
          --rest, --intake, --long, --hangfire, --tokens
                                     run only the named parts (default: all five; --hangfire: the same workloads
                                     through Hangfire 1.8 on the same PostgreSQL, bench/HangfirePeer; --tokens: the
                                     identity service's token endpoint)
          --hangfire-workers N       Hangfire workers for the long jobs (default 1000)
          --rest-seconds N           seconds of load per concurrency level (default 30, quick 8)
          --concurrency 16,64        REST concurrency levels (connections)
          --token-seconds N          seconds of token requests per grant and concurrency level (default 15, quick 5)
          --token-concurrency 1,4,16 token request concurrency levels (connections)
          --loadgen wrk|http         REST load generator (default wrk when installed, else http)
          --intake-messages N        messages produced to tasks.requests (default 100000, quick 20000)
          --no-worker                REST and intake with TaskApi only (no TaskWorker; tasks stay new)
          --no-drain                 do not wait for the intake tasks to finish after they are stored
          --worker-max-in-flight N   Worker:MaxInFlight for the REST and intake parts (default 10000, the worker's default)
          --long-tasks N             tasks of 5-10 s (default 10000, quick 2000)
          --long-submit kafka|rest   how the long tasks are submitted (default kafka)
          --max-in-flight N          Worker:MaxInFlight for the long part (default: max(2 x tasks, 1000))
          --partitions N             partitions of tasks.requests/.work/.status (default 16)
          --service-log-level LEVEL  Logging:LogLevel:Default of the services (default: their config, Information)
          --service-env KEY=VALUE    extra environment variable for TaskApi and TaskWorker (repeatable; experiments only)
          --db-options "K=V;..."     appended to TaskApi's Npgsql connection string (experiments only)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        int? restSeconds = null, intakeMessages = null, longTasks = null, maxInFlight = null, tokenSeconds = null, hangfireWorkers = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture) is var n && n > 0 ? n : throw new ArgumentException($"{args[i]} must be positive.");
            List<int> NextList() => Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
            switch (args[i])
            {
                case "--quick": options.Quick = true; break;
                case "--smoke": options.Smoke = true; break;
                case "--rest": options.RunRest = true; break;
                case "--intake": options.RunIntake = true; break;
                case "--long": options.RunLong = true; break;
                case "--hangfire": options.RunHangfire = true; break;
                case "--tokens": options.RunTokens = true; break;
                case "--hangfire-workers": hangfireWorkers = NextInt(); break;
                case "--rest-seconds": restSeconds = NextInt(); break;
                case "--concurrency": options.RestConcurrency = NextList(); break;
                case "--token-seconds": tokenSeconds = NextInt(); break;
                case "--token-concurrency": options.TokenConcurrency = NextList(); break;
                case "--loadgen":
                    options.LoadGenerator = Next() is var generator && generator is "wrk" or "http" ? generator : throw new ArgumentException("--loadgen is wrk or http.");
                    break;
                case "--intake-messages": intakeMessages = NextInt(); break;
                case "--no-worker": options.WithoutWorker = true; break;
                case "--no-drain": options.IntakeDrain = false; break;
                case "--long-tasks": longTasks = NextInt(); break;
                case "--worker-max-in-flight": options.ShortMaxInFlight = NextInt(); break;
                case "--long-submit":
                    options.LongSubmit = Next() is var submit && submit is "kafka" or "rest" ? submit : throw new ArgumentException("--long-submit is kafka or rest.");
                    break;
                case "--max-in-flight": maxInFlight = NextInt(); break;
                case "--partitions": options.Partitions = NextInt(); break;
                case "--service-log-level": options.ServiceLogLevel = Next(); break;
                case "--service-env":
                    var pair = Next();
                    var equals = pair.IndexOf('=');
                    if (equals <= 0)
                    {
                        throw new ArgumentException("--service-env takes KEY=VALUE.");
                    }
                    options.ServiceEnvironment[pair[..equals]] = pair[(equals + 1)..];
                    break;
                case "--db-options": options.DatabaseOptions = Next(); break;
                case "-h" or "--help": throw new HelpRequested();
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        if (!options.RunRest && !options.RunIntake && !options.RunLong && !options.RunHangfire && !options.RunTokens)
        {
            options.RunRest = options.RunIntake = options.RunLong = options.RunHangfire = options.RunTokens = true;
        }
        int Sized(int? given, int full, int quick, int smoke) => given ?? (options.Smoke ? smoke : options.Quick ? quick : full);
        options.RestSeconds = Sized(restSeconds, full: 30, quick: 8, smoke: 1);
        // Tiered JIT: measured on this machine, the create path reaches its optimized code only after ~20 s of load
        // (16 connections: 874/s in the first 20 s after a 5 s warm-up, 1,492/s in a later window).
        options.RestWarmupSeconds = Sized(null, full: 20, quick: 3, smoke: 1);
        options.TokenSeconds = Sized(tokenSeconds, full: 15, quick: 5, smoke: 1);
        options.TokenWarmupSeconds = Sized(null, full: 10, quick: 3, smoke: 1);
        options.IntakeMessages = Sized(intakeMessages, full: 100_000, quick: 20_000, smoke: 500);
        options.LongTasks = Sized(longTasks, full: 10_000, quick: 2_000, smoke: 50);
        options.LongMaxInFlight = maxInFlight ?? Math.Max(2 * options.LongTasks, 1000);
        options.HangfireLongWorkers = Sized(hangfireWorkers, full: 1000, quick: 1000, smoke: 50);
        options.LongRun = options.Smoke ? (TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)) : (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        if (options.Smoke)
        {
            // One pipeline of each host and one level each: every path runs, nothing is measured.
            options.RestHosts = [ApiHost.Unauthenticated, ApiHost.TaskApi];
            options.RestConcurrency = options.RestConcurrency.Take(1).ToList();
            options.TokenConcurrency = options.TokenConcurrency.Take(1).ToList();
        }
        if (options.LoadGenerator == "")
        {
            options.LoadGenerator = WrkLoad.IsInstalled() ? "wrk" : "http";
        }
        else if (options.LoadGenerator == "wrk" && !WrkLoad.IsInstalled())
        {
            throw new ArgumentException("wrk is not installed (apt-get install -y wrk), use --loadgen http.");
        }
        return options;
    }

    public sealed class HelpRequested : Exception;
}
