using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tasks.Testing;

// Hostile requests benchmark (issue 17, item 8): each request that once cost TaskApi seconds and gigabytes, sent to a
// running TaskApi process; prints each one's answer and time and TaskApi's peak memory (VmHWM of /proc/<pid>/status).
// Targets: every hostile request answered in under 1 s, TaskApi's peak under 500 MB. --smoke: each request once, and a
// failure only when a target is missed by a wide margin (10 s, 1.5 GB: a loaded CI machine once took 6.1 s for one) or an answer is not the expected 4xx.
var smoke = args.Contains("--smoke");
var rounds = Option("--rounds", smoke ? 1 : 5);
var timeout = TimeSpan.FromMinutes(3);
var requestTarget = TimeSpan.FromSeconds(1);
const long PeakTargetBytes = 500L * 1024 * 1024;
var (requestLimit, peakLimitBytes) = smoke ? (TimeSpan.FromSeconds(10), 3 * PeakTargetBytes) : (requestTarget, PeakTargetBytes);

await using var database = await PostgresDatabase.CreateAsync();
await using var identityDatabase = await PostgresDatabase.CreateAsync();
await using var identity = await TestIdentity.StartAsync(database: identityDatabase);
using var kafka = PipelineKafka.Start();
using var redis = RedisServer.Start();
await using var api = await ServiceProcess.StartAsync("TaskApi", new Dictionary<string, string>(identity.BenchmarkTaskApiEnvironment)
{
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
    ["ConnectionStrings__redis"] = redis.ConnectionString,
    ["ConnectionStrings__tasksdb"] = database.ConnectionString,
    ["Tracking__Key"] = "hostile-bench-tracking-key-0123456789abcdef",
    ["Tracking__PublicBaseUrl"] = "http://127.0.0.1/",
}, timeout);
using var http = api.CreateClient(await identity.OperatorTokenAsync());
http.Timeout = TimeSpan.FromMinutes(2);

// What the attacks need: a list to import into, templates to preview.
var listId = await IdOfAsync(await http.PostAsJsonAsync("/lists", new { name = "hostile" }));
var formatTemplateId = await IdOfAsync(await http.PostAsJsonAsync("/templates",
    new { name = "format", subject = "s", html = """{{ 1 | format_number: "N999999999" }}""" }));
var identicalClients = Enumerable.Repeat(new { phone = "79001234567", tag = "x" }, 10_000).ToArray();
var identicalSubscribers = Enumerable.Repeat(new { email = "same@example.com" }, 10_000).ToArray();
var unknownVariables = string.Concat(Enumerable.Repeat("{{a}}", 512 * 1024 / 5));
var preview = new { recipient = new { email = "ann@example.com" }, sender = new { email = "news@shop.example" } };

var attacks = new (string Name, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Expected)[]
{
    ("POST /clients/import, 10,000 identical rows", () => http.PostAsJsonAsync("/clients/import", identicalClients), HttpStatusCode.BadRequest),
    ("POST /lists/{id}/subscribers, 10,000 identical rows", () => http.PostAsJsonAsync($"/lists/{listId}/subscribers", identicalSubscribers), HttpStatusCode.BadRequest),
    ("POST /templates/{id}/preview, format_number N999999999", () => http.PostAsJsonAsync($"/templates/{formatTemplateId}/preview", preview), HttpStatusCode.BadRequest),
    ("POST /templates, 512 KiB of {{a}}", () => http.PostAsJsonAsync("/templates", new { name = "n", subject = "s", html = unknownVariables }), HttpStatusCode.BadRequest),
    ("GET /clients?page=1000000", () => http.GetAsync("/clients?page=1000000"), HttpStatusCode.BadRequest),
    ("GET /clients?pageSize=100&after=9223372036854775806", () => http.GetAsync("/clients?pageSize=100&after=9223372036854775806"), HttpStatusCode.OK),
    ("GET /reports/daily?date=9999-12-31", () => http.GetAsync("/reports/daily?date=9999-12-31"), HttpStatusCode.BadRequest),
    ("POST /tasks, runAt 0001-01-01T00:00:00Z", () => http.PostAsJsonAsync("/tasks", new { name = "edge", runAt = "0001-01-01T00:00:00Z" }), HttpStatusCode.BadRequest),
    ("POST /mailings, endAt 9999-12-31T23:59:59Z", () => http.PostAsJsonAsync("/mailings",
        new { text = "t", startAt = "2030-01-01T00:00:00Z", endAt = "9999-12-31T23:59:59Z" }), HttpStatusCode.BadRequest),
    ("POST /mailings, operator code \"900\\n\"", () => http.PostAsJsonAsync("/mailings",
        new { text = "t", startAt = "2030-01-01T00:00:00Z", endAt = "2030-01-02T00:00:00Z", filter = new { operatorCodes = new[] { "900\n" } } }), HttpStatusCode.BadRequest),
};

var startPeak = PeakBytes(api.Pid);
Console.WriteLine($"HostileRequestsBench: {rounds} round(s) of {attacks.Length} requests; {Environment.ProcessorCount} cores; " +
    $"TaskApi's peak after its start {Megabytes(startPeak)}");
var failures = new List<string>();
foreach (var (name, send, expected) in attacks)
{
    var times = new List<TimeSpan>();
    long largestAnswer = 0;
    for (var round = 0; round < rounds; round++)
    {
        var started = Stopwatch.StartNew();
        using var response = await send();
        var answer = await response.Content.ReadAsByteArrayAsync();
        var elapsed = started.Elapsed;
        times.Add(elapsed);
        largestAnswer = Math.Max(largestAnswer, answer.Length);
        if (response.StatusCode != expected)
        {
            failures.Add($"{name}: answered {(int)response.StatusCode}, expected {(int)expected}: {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 300)))}");
        }
    }
    // Each round's time, the first being TaskApi's first such request (its code not yet compiled by the JIT's later tiers).
    var slowest = times.Max();
    Console.WriteLine($"  {name}: {(int)expected}, slowest {slowest.TotalMilliseconds:N0} ms (target < {requestTarget.TotalMilliseconds:N0} ms; " +
        $"rounds {string.Join(" / ", times.Select(time => time.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)))} ms), " +
        $"answer {largestAnswer:N0} bytes; TaskApi's peak so far {Megabytes(PeakBytes(api.Pid))}");
    if (slowest > requestLimit)
    {
        failures.Add($"{name}: {slowest.TotalMilliseconds:N0} ms (limit {requestLimit.TotalMilliseconds:N0} ms)");
    }
}
var peak = PeakBytes(api.Pid);
Console.WriteLine($"  TaskApi's peak memory (VmHWM): {Megabytes(peak)} (target < {Megabytes(PeakTargetBytes)})");
if (peak > peakLimitBytes)
{
    failures.Add($"TaskApi's peak memory {Megabytes(peak)} (limit {Megabytes(peakLimitBytes)})");
}
foreach (var failure in failures)
{
    Console.WriteLine($"FAILED: {failure}");
}
return failures.Count == 0 ? 0 : 1;

static async Task<long> IdOfAsync(HttpResponseMessage created)
{
    if (!created.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"Setup failed: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    }
    return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
}

// The kernel's high-water mark of the process's resident memory: its peak since it started, however brief.
static long PeakBytes(int pid) =>
    File.ReadLines($"/proc/{pid}/status").Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(line => long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024).Single();

static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):N0} MB";

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
