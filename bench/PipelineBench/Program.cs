using System.Runtime.InteropServices;
using Npgsql;
using PipelineBench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (BenchOptions.HelpRequested)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

// Ctrl+C / SIGTERM cancel the run; every part then disposes its processes, Kafka cluster and database.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});

var report = new Report();
var configuration = Tasks.Testing.SolutionLayout.Configuration;
Console.WriteLine("PipelineBench: the task pipeline under load");
Console.WriteLine($"  {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, " +
    $".NET {Environment.Version}, services built {configuration}, librdkafka {Confluent.Kafka.Library.VersionString}, " +
    $"PostgreSQL {await PostgresVersionAsync()}");
Console.WriteLine($"  load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("  Everything shares the same cores: the identity service, TaskApi, TaskWorker, PostgreSQL, the embedded Kafka broker (in this process),");
Console.WriteLine("  the load generator and anything else running on the machine. Figures are for this machine only.");
Console.WriteLine($"  parts: {(options.RunRest ? "rest " : "")}{(options.RunIntake ? "intake " : "")}{(options.RunLong ? "long " : "")}" +
    $"{(options.RunHangfire ? "hangfire " : "")}{(options.RunTokens ? "tokens" : "")}" +
    $"{(options.Smoke ? " (--smoke: only checks that every part runs; the figures mean nothing)" : options.Quick ? " (--quick: reduced workloads)" : "")}; " +
    $"service log level: {options.ServiceLogLevel ?? "their configuration (Information)"}");
if (options.ServiceEnvironment.Count > 0 || options.DatabaseOptions is not null)
{
    Console.WriteLine($"  EXPERIMENT: service environment {string.Join(", ", options.ServiceEnvironment.Select(e => $"{e.Key}={e.Value}"))}; " +
        $"TaskApi connection string + \"{options.DatabaseOptions}\"");
}
if (configuration != "Release")
{
    report.Note($"the services run from their {configuration} build: run with -c Release for meaningful figures.");
}

var failed = false;
async Task RunPart(string name, Func<Task> part)
{
    if (cancel.IsCancellationRequested)
    {
        return;
    }
    try
    {
        await part();
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        report.Note($"{name}: cancelled.");
    }
    catch (Exception e)
    {
        failed = true;
        report.Note($"{name} failed: {e.GetType().Name}: {e.Message}");
        Console.Error.WriteLine(e);
    }
    NpgsqlConnection.ClearAllPools();
}

if (options.RunRest)
{
    await RunPart("REST", () => RestPart.RunAsync(options, report, cancel.Token));
}
if (options.RunIntake)
{
    await RunPart("intake", () => IntakePart.RunAsync(options, report, cancel.Token));
}
if (options.RunLong)
{
    await RunPart("long", () => LongPart.RunAsync(options, report, cancel.Token));
}
if (options.RunHangfire)
{
    await RunPart("Hangfire", () => HangfirePart.RunAsync(options, report, cancel.Token));
}
if (options.RunTokens)
{
    await RunPart("tokens", () => TokenPart.RunAsync(options, report, cancel.Token));
}

report.Print(Console.Out);
if (cancel.IsCancellationRequested)
{
    Console.WriteLine("Cancelled.");
    return 130;
}
return failed ? 1 : 0;

static async Task<string> PostgresVersionAsync()
{
    try
    {
        // The server the bench's databases are created on (the same default and variable as Tasks.Testing.PostgresDatabase).
        var server = Environment.GetEnvironmentVariable("TASKS_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres";
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        return connection.PostgreSqlVersion.ToString();
    }
    catch (Exception e)
    {
        return $"unknown ({e.Message})";
    }
}
