using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmbeddedKafka;
using Npgsql;
using Tasks.EmailTemplates;
using Tasks.Shared;
using Tasks.Testing;

// Email campaign benchmark (issue 11): first the SMTP ceiling (MailKit straight into the sink, nothing else running);
// then a campaign to N subscribers, timed from its POST until every email exists and until the SMTP sink has accepted
// every one; then opens on the pixel endpoint (wrk, the campaign's tokens) while the pipeline runs. --smoke: sizes that
// only check the path still runs (CI).
var smoke = args.Contains("--smoke");
var subscribers = Option("--subscribers", smoke ? 500 : 100_000);
var opensSeconds = Option("--opens-seconds", smoke ? 1 : 20);
var connections = Option("--connections", 8);
var timeout = TimeSpan.FromMinutes(5);
const string trackingKey = "email-bench-tracking-key-0123456789abcdef";
var ceiling = await SmtpCeiling.MeasureAsync(connections, emails: smoke ? 500 : 20_000);

await using var database = await PostgresDatabase.CreateAsync();
await using var identityDatabase = await PostgresDatabase.CreateAsync();
// The identity service TaskApi trusts; the bench calls TaskApi as an operator.
await using var identity = await TestIdentity.StartAsync(database: identityDatabase);
using var kafka = KafkaMockCluster.Start();
// The mock broker keeps 5 MB per partition: the busy topics get enough partitions for every record of the run.
foreach (var topic in KafkaTopics.All)
{
    kafka.CreateTopic(topic, topic is KafkaTopics.EmailsSend or KafkaTopics.EmailsStatus ? Option("--partitions", 32) : PipelineKafka.Partitions);
}
using var redis = RedisServer.Start();
await using var sink = await StandInSmtpServer.StartAsync(new StandInSmtpOptions(KeepMessages: false));
var quiet = new Dictionary<string, string>
{
    // Per-email log lines are Information; the bench measures the pipeline, not the console.
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
    ["ConnectionStrings__redis"] = redis.ConnectionString,
    ["Tracking__Key"] = trackingKey,
};
await using var api = await ServiceProcess.StartAsync("TaskApi", new Dictionary<string, string>(quiet.Concat(identity.BenchmarkTaskApiEnvironment))
{
    ["ConnectionStrings__tasksdb"] = database.ConnectionString,
    ["Tracking__PublicBaseUrl"] = "http://127.0.0.1/",
    // The start's one line, with how long it took.
    ["Logging__LogLevel__TaskApi.Features.Campaigns.Sending"] = "Information",
}, timeout);
await using var scheduler = await ServiceProcess.StartAsync("Scheduler", quiet, timeout);
await using var worker = await ServiceProcess.StartAsync("TaskWorker", new Dictionary<string, string>(quiet)
{
    ["Smtp__Host"] = sink.Host,
    ["Smtp__Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
    ["Smtp__MaxConnections"] = connections.ToString(CultureInfo.InvariantCulture),
    ["Tracking__PublicBaseUrl"] = api.BaseAddress.ToString(),
}, timeout);
using var http = api.CreateClient(await identity.OperatorTokenAsync());
http.Timeout = TimeSpan.FromMinutes(2);

Console.WriteLine($"EmailBench: {subscribers:N0} subscribers, {connections} SMTP connections; {Environment.ProcessorCount} cores");
Console.WriteLine($"  SMTP ceiling, MailKit straight into the sink with nothing else running: {ceiling:N0} emails/s over {connections} sessions");
var template = await Created(await http.PostAsJsonAsync("/templates", new
{
    name = "bench",
    subject = "News for {{ recipient.name }}",
    html = """
        <html><body><h1>Hello {{ recipient.name }}</h1><p>{{ message }}</p>
        <p>Your plan: {{ recipient.fields.plan }}. <a href="https://shop.example.com/sale">Sale</a> <a href="https://example.com/blog">Blog</a></p>
        <p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>
        """,
}));
var list = await Created(await http.PostAsJsonAsync("/lists", new { name = "bench" }));
var imported = Stopwatch.StartNew();
foreach (var chunk in Enumerable.Range(0, subscribers).Chunk(10_000))
{
    var rows = chunk.Select(i => new { email = $"reader{i}@example.com", name = $"Reader {i}", fields = new { plan = i % 2 == 0 ? "gold" : "free" } });
    (await http.PostAsJsonAsync($"/lists/{list}/subscribers", rows)).EnsureSuccessStatusCode();
}
Console.WriteLine($"  import of {subscribers:N0} subscribers (10,000 per call): {imported.Elapsed.TotalSeconds:0.00} s");

var started = Stopwatch.StartNew();
var campaign = await Created(await http.PostAsJsonAsync("/campaigns", new
{
    name = "bench campaign",
    templateId = template,
    listIds = new[] { list },
    from = new { email = "news@example.com", name = "News" },
    message = "Spring sale starts today.",
}));
await using var connection = new NpgsqlConnection(database.ConnectionString);
await connection.OpenAsync();
await Until(() => Scalar(connection, $"SELECT count(*) FROM email_messages WHERE campaign_id = {campaign}").ContinueWith(t => t.Result == subscribers),
    "every email to exist", poll: 20);
var allCreated = started.Elapsed;
Console.WriteLine($"  every email exists: {allCreated.TotalSeconds:0.00} s after the POST; TaskApi: " +
    api.RecentOutput.Split('\n').LastOrDefault(line => line.Contains("sending", StringComparison.Ordinal))?.Trim());
var progress = Stopwatch.StartNew();
await Until(() =>
{
    if (args.Contains("--progress") && progress.Elapsed > TimeSpan.FromSeconds(1))
    {
        Console.WriteLine($"    {started.Elapsed.TotalSeconds:0.0} s: {sink.ReceivedCount:N0} accepted");
        progress.Restart();
    }
    return Task.FromResult(sink.ReceivedCount >= subscribers);
}, "every email to reach the SMTP sink", poll: 100);
var allSent = started.Elapsed;
Console.WriteLine($"  every email handed to the SMTP server: {allSent.TotalSeconds:0.00} s after the POST (target <= 60 s); " +
    $"{subscribers / (allSent - allCreated).TotalSeconds:N0} emails/s after they existed; {sink.ReceivedCount - subscribers} more than once; " +
    $"{sink.ReceivedBySession.Count} SMTP sessions");
await Until(async () => (await http.GetFromJsonAsync<JsonElement>($"/campaigns/{campaign}")).GetProperty("status").GetString() == "sent", "the campaign to be sent");
Console.WriteLine($"  campaign sent (every status recorded): {started.Elapsed.TotalSeconds:0.00} s after the POST");

// Opens: the pixel of every email of the campaign, in random order, as its readers' mail clients would load them.
var tokens = new TrackingTokens(Encoding.UTF8.GetBytes(trackingKey));
var ids = new List<long>();
await using (var command = new NpgsqlCommand($"SELECT id FROM email_messages WHERE campaign_id = {campaign}", connection))
await using (var reader = await command.ExecuteReaderAsync())
{
    while (await reader.ReadAsync())
    {
        ids.Add(reader.GetInt64(0));
    }
}
var paths = ids.OrderBy(_ => Random.Shared.Next()).Select(id => $"/t/o/{tokens.ForOpen(id)}.gif").ToList();
var result = await PixelLoad.RunAsync(api.BaseAddress, paths, concurrency: Option("--concurrency", 64), TimeSpan.FromSeconds(opensSeconds));
var recorded = await Scalar(connection, $"SELECT coalesce(sum(opens), 0) FROM email_messages WHERE campaign_id = {campaign}");
Console.WriteLine($"  opens: {result.Requests / result.Seconds:N0}/s over {result.Seconds:0} s (target >= 5,000/s), p50 {result.P50Ms:0.0} ms, " +
    $"p99 {result.P99Ms:0.0} ms, {result.Errors} errors; {recorded:N0} opens recorded of {result.Requests:N0} answered");
return 0;

async Task<long> Created(HttpResponseMessage response)
{
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
}

async Task Until(Func<Task<bool>> condition, string what, int poll = 250)
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

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
