using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EmbeddedKafka;
using Npgsql;
using Tasks.Shared;
using Tasks.Testing;

// SMS mailing benchmark (issue 10): a mailing to N matching clients, timed from its POST until every message exists and
// until the provider has received every message; then the statistics' latency with M messages stored. --smoke: sizes
// that only check the path still runs (CI).
var smoke = args.Contains("--smoke");
var clients = Option("--clients", smoke ? 1_000 : 100_000);
var stored = Option("--stored", smoke ? 2_000 : 1_000_000);
var timeout = TimeSpan.FromMinutes(5);

await using var database = await PostgresDatabase.CreateAsync();
await using var identityDatabase = await PostgresDatabase.CreateAsync();
// The identity service TaskApi trusts; the bench calls TaskApi as an operator.
await using var identity = await TestIdentity.StartAsync(database: identityDatabase);
using var kafka = KafkaMockCluster.Start();
// The mock broker keeps 5 MB per partition: the busy topics get enough partitions for every record of the run.
foreach (var topic in KafkaTopics.All)
{
    kafka.CreateTopic(topic, topic is KafkaTopics.MessagesSend or KafkaTopics.MessagesStatus ? Option("--partitions", 32) : PipelineKafka.Partitions);
}
using var redis = RedisServer.Start();
// The provider: the SmsGateway emulator as a process of its own, answering at once.
await using var gateway = await ServiceProcess.StartAsync("SmsGateway", new Dictionary<string, string>
{
    ["Gateway__Delay"] = "00:00:00",
    ["Gateway__Token"] = "bench",
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
}, timeout);
using var gatewayHttp = gateway.CreateClient();
var quiet = new Dictionary<string, string>
{
    // Per-message log lines are Information; the bench measures the pipeline, not the console.
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
    ["ConnectionStrings__redis"] = redis.ConnectionString,
};
await using var api = await ServiceProcess.StartAsync("TaskApi", new Dictionary<string, string>(quiet.Concat(identity.BenchmarkTaskApiEnvironment))
{
    ["ConnectionStrings__tasksdb"] = database.ConnectionString,
    // Required at start; SMS carry no tracked links, so they only need to be valid.
    ["Tracking__Key"] = "mailing-bench-tracking-key-0123456789abcdef",
    ["Tracking__PublicBaseUrl"] = "http://127.0.0.1/",
    // The start's one line, with how long it took.
    ["Logging__LogLevel__TaskApi.Features.Mailings.Planning"] = "Information",
}, timeout);
await using var scheduler = await ServiceProcess.StartAsync("Scheduler", quiet, timeout);
await using var worker = await ServiceProcess.StartAsync("TaskWorker", new Dictionary<string, string>(quiet)
{
    ["Sms__BaseUrl"] = gatewayHttp.BaseAddress!.ToString(),
    ["Sms__Token"] = "bench",
    ["Sms__MaxConnections"] = Option("--connections", 256).ToString(CultureInfo.InvariantCulture),
}, timeout);
using var http = api.CreateClient(await identity.OperatorTokenAsync());
http.Timeout = TimeSpan.FromMinutes(2);

Console.WriteLine($"MailingBench: {clients:N0} clients, {stored:N0} messages stored for the statistics; {Environment.ProcessorCount} cores");
var imported = Stopwatch.StartNew();
foreach (var chunk in Enumerable.Range(0, clients).Chunk(10_000))
{
    var rows = chunk.Select(i => new { phone = (79_000_000_000L + i).ToString(CultureInfo.InvariantCulture), operatorCode = "900", tag = "bench" });
    (await http.PostAsJsonAsync("/clients/import", rows)).EnsureSuccessStatusCode();
}
Console.WriteLine($"  import of {clients:N0} clients (10,000 per call): {imported.Elapsed.TotalSeconds:0.00} s");

var started = Stopwatch.StartNew();
var created = await http.PostAsJsonAsync("/mailings", new
{
    text = "Benchmark mailing",
    startAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
    endAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
    filter = new { operatorCodes = new[] { "900" }, tags = new[] { "bench" } },
});
created.EnsureSuccessStatusCode();
var mailingId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

await using var connection = new NpgsqlConnection(database.ConnectionString);
await connection.OpenAsync();
await Until(async () => await Scalar(connection, $"SELECT count(*) FROM sms_messages WHERE mailing_id = {mailingId}") == clients, "every message to exist");
var allCreated = started.Elapsed;
Console.WriteLine($"  every message exists: {allCreated.TotalSeconds:0.00} s after the POST (target <= 5 s); TaskApi: " +
    api.RecentOutput.Split('\n').LastOrDefault(line => line.Contains("started with", StringComparison.Ordinal))?.Trim());
var progress = Stopwatch.StartNew();
var received = 0L;
var duplicates = 0L;
await Until(async () =>
{
    var seen = await gatewayHttp.GetFromJsonAsync<JsonElement>("/messages?pageSize=1");
    (received, duplicates) = (seen.GetProperty("total").GetInt64(), seen.GetProperty("duplicates").GetInt64());
    if (args.Contains("--progress") && progress.Elapsed > TimeSpan.FromSeconds(1))
    {
        Console.WriteLine($"    {started.Elapsed.TotalSeconds:0.0} s: {received:N0} received");
        progress.Restart();
    }
    return received >= clients;
}, "every message to reach the provider", poll: 250);
var allSent = started.Elapsed;
Console.WriteLine($"  every message handed to the provider: {allSent.TotalSeconds:0.00} s after the POST (target <= 60 s); " +
    $"{clients / (allSent - allCreated).TotalSeconds:N0} messages/s after they existed; {duplicates} sent twice");
await Until(async () => (await http.GetFromJsonAsync<JsonElement>($"/mailings/{mailingId}")).GetProperty("status").GetString() == "finished", "the mailing to finish");
Console.WriteLine($"  mailing finished (every status recorded): {started.Elapsed.TotalSeconds:0.00} s after the POST");

// Fill the store up to M messages: finished mailings of 100,000 sent messages each, as a long-running service has them.
var filled = Stopwatch.StartNew();
for (var have = clients; have < stored; have += 100_000)
{
    var count = Math.Min(100_000, stored - have);
    await Execute(connection, $"""
        WITH m AS (
            INSERT INTO mailings (text, start_at, end_at, operator_codes, tags, status, created_at, started_at, finished_at, times_version,
                                  messages_pending, messages_sent, messages_failed, messages_expired, messages_cancelled)
            VALUES ('filler', now() - interval '1 day', now(), '{"{}"}', '{"{}"}', 'finished', now(), now(), now(), 1, 0, {count}, 0, 0, 0)
            RETURNING id)
        INSERT INTO sms_messages (mailing_id, client_id, phone, timezone, status, attempts, dispatch, created_at, sent_at, finished_at)
        SELECT m.id, c.id, c.phone, c.timezone, 'sent', 1, 1, now(), now(), now()
        FROM m, (SELECT id, phone, timezone FROM clients ORDER BY id LIMIT {count}) c
        """);
}
await Execute(connection, "VACUUM ANALYZE");
Console.WriteLine($"  {await Scalar(connection, "SELECT count(*) FROM sms_messages"):N0} messages stored ({filled.Elapsed.TotalSeconds:0.0} s to fill)");

foreach (var path in new[] { "/mailings/stats", $"/mailings/{mailingId}/stats", $"/mailings/{mailingId}/messages?status=sent&page=50" })
{
    var latencies = new List<double>();
    for (var i = 0; i < 300; i++)
    {
        var call = Stopwatch.StartNew();
        (await http.GetAsync(path)).EnsureSuccessStatusCode();
        latencies.Add(call.Elapsed.TotalMilliseconds);
    }
    latencies = latencies.Skip(50).Order().ToList();
    Console.WriteLine($"  GET {path}: p50 {latencies[latencies.Count / 2]:0.0} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0.0} ms (target <= 50 ms)");
}
return 0;

async Task Until(Func<Task<bool>> condition, string what, int poll = 20)
{
    var deadline = Stopwatch.StartNew();
    while (!await condition())
    {
        if (deadline.Elapsed > timeout)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
        await Task.Delay(poll);
    }
}

static async Task<long> Scalar(NpgsqlConnection connection, string sql)
{
    await using var command = new NpgsqlCommand(sql, connection);
    return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

static async Task Execute(NpgsqlConnection connection, string sql)
{
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    await command.ExecuteNonQueryAsync();
}

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
