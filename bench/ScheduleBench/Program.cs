using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using EmbeddedKafka;
using Npgsql;
using ScheduleBench;
using Tasks.Shared;
using Tasks.Testing;

// Recurring schedules benchmark (issue 18): N schedules whose cron expressions all name the same second, created through
// POST /schedules; each occurrence's task must exist at most 2 s after it is due. Then N Hangfire recurring jobs with
// the same expression on the same PostgreSQL server, measured the same way. --smoke: sizes that only check the path
// still runs (CI).
var smoke = args.Contains("--smoke");
var count = Option("--schedules", smoke ? 100 : 10_000);
var concurrency = Option("--concurrency", 16);
var timeout = TimeSpan.FromMinutes(5);

await using var database = await PostgresDatabase.CreateAsync();
await using var identityDatabase = await PostgresDatabase.CreateAsync();
await using var hangfireDatabase = await PostgresDatabase.CreateAsync();
await using var identity = await TestIdentity.StartAsync(database: identityDatabase);
using var kafka = KafkaMockCluster.Start();
foreach (var topic in KafkaTopics.All)
{
    kafka.CreateTopic(topic, PipelineKafka.Partitions);
}
using var redis = RedisServer.Start();
var quiet = new Dictionary<string, string>
{
    // Per-occurrence log lines are Information; the bench measures the firing, not the console.
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
    ["ConnectionStrings__redis"] = redis.ConnectionString,
};
await using var api = await ServiceProcess.StartAsync("TaskApi", new Dictionary<string, string>(quiet.Concat(identity.BenchmarkTaskApiEnvironment))
{
    ["ConnectionStrings__tasksdb"] = database.ConnectionString,
    ["Tracking__Key"] = "schedule-bench-tracking-key-0123456789abcdef",
    ["Tracking__PublicBaseUrl"] = "http://127.0.0.1/",
}, timeout);
await using var scheduler = await ServiceProcess.StartAsync("Scheduler", quiet, timeout);
using var http = api.CreateClient(await identity.OperatorTokenAsync());

Console.WriteLine($"ScheduleBench: {count:N0} recurring schedules due at the same second; {Environment.ProcessorCount} cores");

// Long enough to create every schedule before the second they name: measured creation rate, with room.
var due = await DueSecondAsync(count, async first =>
{
    Console.WriteLine($"  creating {count:N0} schedules ({concurrency} at a time) ...");
    var created = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
    {
        var response = await http.PostAsJsonAsync("/schedules", new
        {
            cron = CronOf(first),
            timezone = "UTC",
            misfire = "skip",
            task = new { name = $"bench {i}" },
        }, ct);
        response.EnsureSuccessStatusCode();
    });
    Console.WriteLine($"  created in {created.Elapsed.TotalSeconds:0.0} s ({count / created.Elapsed.TotalSeconds:N0}/s)");
});

await using var connection = new NpgsqlConnection(database.ConnectionString);
await connection.OpenAsync();
await Until(async () => await Scalar(connection, "SELECT count(*) FROM tasks WHERE idempotency_key LIKE 'schedule %'") >= count, "every occurrence's task");
var ours = await LatenessAsync(connection, "SELECT created_at FROM tasks WHERE idempotency_key LIKE 'schedule %'", due);
Console.WriteLine($"  TaskApi + Scheduler: {ours.Describe()} (target: every task <= 2 s after its occurrence)");

var hangfire = await HangfireRecurring.RunAsync(hangfireDatabase.ConnectionString, count, DueSecondAsync, CronOf, timeout);
Console.WriteLine($"  Hangfire {HangfireRecurring.Version} recurring jobs: created {hangfire.Created.Describe()}");
Console.WriteLine($"                                  started {hangfire.Started.Describe()}");
Console.WriteLine($"  ({HangfireRecurring.Settings})");
return 0;

// Picks a whole second far enough ahead for create(firstDue) to finish before it, runs create, and returns that second.
static async Task<DateTimeOffset> DueSecondAsync(int schedules, Func<DateTimeOffset, Task> create)
{
    // 10 s of it for a start on a loaded machine: a smoke run's Hangfire took 7.5 s to register 100 jobs under CI's load.
    var lead = TimeSpan.FromSeconds(10 + schedules / 150.0);
    var at = DateTimeOffset.UtcNow + lead;
    at = new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1);
    await create(at);
    if (DateTimeOffset.UtcNow >= at)
    {
        throw new InvalidOperationException($"Creating took past the due second {at:O}: raise the lead.");
    }
    return at;
}

static string CronOf(DateTimeOffset at) => $"{at.Second} {at.Minute} {at.Hour} * * *";

async Task Until(Func<Task<bool>> condition, string what)
{
    var deadline = Stopwatch.StartNew();
    while (!await condition())
    {
        if (deadline.Elapsed > timeout)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
        await Task.Delay(50);
    }
}

static async Task<long> Scalar(NpgsqlConnection connection, string sql)
{
    await using var command = new NpgsqlCommand(sql, connection);
    return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

static async Task<Lateness> LatenessAsync(NpgsqlConnection connection, string sql, DateTimeOffset due)
{
    var late = new List<double>();
    await using var command = new NpgsqlCommand(sql, connection);
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        late.Add((reader.GetFieldValue<DateTimeOffset>(0) - due).TotalMilliseconds);
    }
    return Lateness.Of(late);
}

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
