using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EmbeddedKafka;
using Tasks.Shared;
using Tasks.Testing;

// Notification benchmark (issue 18). Fan-out: notifications to N users on SMS and in-app (10,000 users per POST, the
// API's bound), timed until every delivery exists and until the provider has every SMS. Express: with a mailing and a
// campaign of B messages each sending, express notifications (email + SMS, one user each) timed from their POST until
// the stand-in SMTP server and SMS provider have them. --smoke: sizes that only check the path still runs (CI).
var smoke = args.Contains("--smoke");
var users = Option("--users", smoke ? 1_000 : 100_000);
var backlog = Option("--backlog", smoke ? 2_000 : 100_000);
var probes = Option("--express", smoke ? 5 : 50);
// How many of the fan-out's POSTs (10,000 users each) are sent at once.
var postsAtOnce = Option("--posts-at-once", 1);
var timeout = TimeSpan.FromMinutes(5);
const int perPost = 10_000;

await using var database = await PostgresDatabase.CreateAsync();
await using var identityDatabase = await PostgresDatabase.CreateAsync();
await using var identity = await TestIdentity.StartAsync(database: identityDatabase);
using var kafka = KafkaMockCluster.Start();
// The mock broker keeps 5 MB per partition: the busy topics get enough partitions for every record of the run.
string[] busy = [KafkaTopics.MessagesSend, KafkaTopics.MessagesStatus, KafkaTopics.EmailsSend, KafkaTopics.EmailsStatus, KafkaTopics.NotificationsSend, KafkaTopics.NotificationsStatus];
foreach (var topic in KafkaTopics.All)
{
    kafka.CreateTopic(topic, busy.Contains(topic) ? 32 : PipelineKafka.Partitions);
}
using var redis = RedisServer.Start();
await using var gateway = await StandInSmsGateway.StartAsync();
await using var smtp = await StandInSmtpServer.StartAsync(new StandInSmtpOptions(KeepMessages: false, KeepRecipient: to => to.StartsWith("express-", StringComparison.Ordinal)));
var quiet = new Dictionary<string, string>
{
    // Per-delivery log lines are Information; the bench measures the pipeline, not the console.
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
    ["ConnectionStrings__redis"] = redis.ConnectionString,
    ["Tracking__Key"] = "notification-bench-tracking-key-0123456789abcdef",
};
await using var api = await ServiceProcess.StartAsync("TaskApi", new Dictionary<string, string>(quiet.Concat(identity.BenchmarkTaskApiEnvironment))
{
    ["ConnectionStrings__tasksdb"] = database.ConnectionString,
    ["Tracking__PublicBaseUrl"] = "http://127.0.0.1/",
    // The fan-out measures the pipeline, not the spreading: a POST's 10,000 users go at once.
    ["Notifications__BurstSize"] = perPost.ToString(CultureInfo.InvariantCulture),
}, timeout);
await using var scheduler = await ServiceProcess.StartAsync("Scheduler", quiet, timeout);
await using var worker = await ServiceProcess.StartAsync("TaskWorker", new Dictionary<string, string>(quiet)
{
    ["Sms__BaseUrl"] = gateway.BaseUrl.ToString(),
    ["Sms__Token"] = "bench",
    ["Sms__MaxConnections"] = "256",
    ["Smtp__Host"] = smtp.Host,
    ["Smtp__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
    ["Smtp__MaxConnections"] = "8",
    ["Tracking__PublicBaseUrl"] = api.BaseAddress.ToString(),
}, timeout);
using var http = api.CreateClient(await identity.OperatorTokenAsync());
http.Timeout = TimeSpan.FromMinutes(2);
Console.WriteLine($"NotificationBench: {users:N0} users, a backlog of {backlog:N0} SMS and {backlog:N0} emails, {probes} express notifications; {Environment.ProcessorCount} cores");

// The users: u{i} with a phone and an email; express-{i} for the probes.
await ImportAsync("/users/import", Enumerable.Range(0, users).Select(i => (object)new { userId = $"u{i}", phone = Phone(79_000_000_000L, i), email = $"u{i}@example.com" }));
await ImportAsync("/users/import", Enumerable.Range(0, probes).Select(i => (object)new { userId = $"express-{i}", phone = Phone(79_990_000_000L, i), email = $"express-{i}@example.com" }));

// Fan-out.
var fanOut = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, users).Chunk(perPost), new ParallelOptions { MaxDegreeOfParallelism = postsAtOnce }, async (chunk, _) =>
    await PostAsync("/notifications", new { userIds = chunk.Select(i => $"u{i}"), channels = new[] { "sms", "inApp" }, title = "Fan-out", text = "Hello from the bench" }));
var created = fanOut.Elapsed;
Console.WriteLine($"  fan-out: {users * 2:N0} deliveries ({users:N0} users × sms, inApp) created {created.TotalSeconds:0.00} s after the first POST, " +
    $"{postsAtOnce} POST(s) of {perPost:N0} users at once (target <= 5 s)");
await Until(() => gateway.Requests.Count >= users, "every fan-out SMS to reach the provider");
var handedOver = fanOut.Elapsed;
Console.WriteLine($"  fan-out: every SMS handed to the provider {handedOver.TotalSeconds:0.00} s after the first POST (target <= 60 s); " +
    $"{users / (handedOver - created).TotalSeconds:N0}/s after they existed; {gateway.Requests.Count - users} more than once");

// The backlog: a mailing and a campaign of B each, sending.
await ImportAsync("/clients/import", Enumerable.Range(0, backlog).Select(i => (object)new { phone = Phone(79_500_000_000L, i), operatorCode = "950", tag = "backlog" }));
var list = await PostAsync("/lists", new { name = "backlog" });
foreach (var chunk in Enumerable.Range(0, backlog).Chunk(perPost))
{
    await PostAsync($"/lists/{list}/subscribers", chunk.Select(i => new { email = $"reader{i}@example.com", name = $"Reader {i}" }));
}
var template = await PostAsync("/templates", new { name = "backlog", subject = "News", html = "<p>{{ message }}</p>" });
var smsBefore = gateway.Requests.Count;
await PostAsync("/mailings", new
{
    text = "Backlog",
    startAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
    endAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
    filter = new { operatorCodes = new[] { "950" }, tags = new[] { "backlog" } },
});
await PostAsync("/campaigns", new { name = "backlog", templateId = template, listIds = new[] { list }, from = new { email = "news@example.com" }, message = "Sale" });
await Until(() => gateway.Requests.Count - smsBefore >= backlog / 100 && smtp.ReceivedCount >= backlog / 100, "the backlog to be sending");
var backlogAtFirstProbe = (Sms: gateway.Requests.Count - smsBefore, Email: smtp.ReceivedCount);

// Express probes, one every 200 ms, while the backlog sends.
var posted = new List<(int Probe, DateTimeOffset At)>();
for (var i = 0; i < probes; i++)
{
    var at = DateTimeOffset.UtcNow;
    await PostAsync("/notifications", new { userIds = new[] { $"express-{i}" }, channels = new[] { "email", "sms" }, title = "Express", text = "Your code is 1234", express = true });
    posted.Add((i, at));
    await Task.Delay(200);
}
await Until(() => smtp.Received.Count >= probes && ProbeSms().Count >= probes, "every express email and SMS");
var backlogAtLastProbe = (Sms: gateway.Requests.Count - smsBefore, Email: smtp.ReceivedCount);
var probeSms = ProbeSms();
var smsLatency = posted.Select(p => (probeSms[Phone(79_990_000_000L, p.Probe)] - p.At).TotalMilliseconds).Order().ToList();
var emailLatency = posted.Select(p => (smtp.Received.First(e => e.EnvelopeTo.Contains($"express-{p.Probe}@example.com")).ReceivedAt - p.At).TotalMilliseconds).Order().ToList();
Console.WriteLine($"  express SMS, POST → provider: {Percentiles(smsLatency)} (target p99 <= 1,000 ms)");
Console.WriteLine($"  express email, POST → SMTP server: {Percentiles(emailLatency)} (target p99 <= 1,000 ms)");
Console.WriteLine($"  backlog handed over at the first probe: {backlogAtFirstProbe.Sms:N0} SMS, {backlogAtFirstProbe.Email:N0} emails; " +
    $"after the last probe's arrival: {backlogAtLastProbe.Sms:N0} SMS, {backlogAtLastProbe.Email:N0} emails (of {backlog:N0} each)");
return 0;

// When each probe's phone first reached the provider (the probes' phones are the only ones from 7999...).
Dictionary<string, DateTimeOffset> ProbeSms()
{
    var arrived = new Dictionary<string, DateTimeOffset>();
    foreach (var request in gateway.Requests.Where(request => request.Body.Contains("\"phone\":7999", StringComparison.Ordinal)))
    {
        var phone = JsonDocument.Parse(request.Body).RootElement.GetProperty("phone").GetInt64().ToString(CultureInfo.InvariantCulture);
        arrived.TryAdd(phone, request.ReceivedAt);
    }
    return arrived;
}

static string Phone(long first, int i) => (first + i).ToString(CultureInfo.InvariantCulture);

static string Percentiles(List<double> sorted) =>
    $"p50 {sorted[sorted.Count / 2]:N0} ms, p99 {sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * 0.99))]:N0} ms, max {sorted[^1]:N0} ms";

async Task ImportAsync(string path, IEnumerable<object> rows)
{
    foreach (var chunk in rows.Chunk(perPost))
    {
        var response = await http.PostAsJsonAsync(path, chunk);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

async Task<long> PostAsync(string path, object body)
{
    var response = await http.PostAsJsonAsync(path, body);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
    return (await response.Content.ReadFromJsonAsync<JsonElement>()) is { ValueKind: JsonValueKind.Object } answer && answer.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number
        ? id.GetInt64() : 0;
}

async Task Until(Func<bool> condition, string what)
{
    var deadline = Stopwatch.StartNew();
    while (!condition())
    {
        if (deadline.Elapsed > timeout)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
        await Task.Delay(100);
    }
}

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
