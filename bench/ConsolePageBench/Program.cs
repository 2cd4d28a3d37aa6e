using System.Diagnostics;
using System.Globalization;
using EmbeddedKafka;
using Microsoft.Playwright;
using Npgsql;
using Tasks.Shared;
using Tasks.Testing;

// The console's page times (issue 19): each page in Chromium as an operator uses it, timed until its data is shown and the
// page answers input, opened (a full load) and navigated to from another page (its server time), over a database holding 1,000,000 rows in each
// message table (bench/ConsoleQueries/seed.sql). --smoke: 2,000 rows and one view per page after one warm-up, only checks that the
// benchmark still runs (CI). --screenshots DIR: instead of timing, the README's pictures of the same seeded console
// (scripts/screenshots.sh).
var smoke = args.Contains("--smoke");
var screenshots = Array.IndexOf(args, "--screenshots") is >= 0 and var at && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : null;
// Enough rows for every chart and grid of the pictures to show something, few enough to seed in seconds.
var rows = Option("--rows", smoke ? 2_000 : screenshots is null ? 1_000_000 : 20_000);
var views = Option("--views", smoke ? 1 : 30);
var warmUps = smoke ? 1 : 3;
var timeout = TimeSpan.FromMinutes(5);
var target = TimeSpan.FromMilliseconds(300);
// A page that calls no API, navigated to between two views so that the next one renders from scratch.
const string NeutralPage = "/Account/AccessDenied";

await using var database = await PostgresDatabase.CreateAsync();
await using var identityDatabase = await PostgresDatabase.CreateAsync();
var consoleUrl = new Uri($"http://127.0.0.1:{FreePorts.Loopback()}");
await using var identity = await TestIdentity.StartAsync(new Dictionary<string, string>
{
    ["Identity__Console__RedirectUris__0"] = new Uri(consoleUrl, "signin-oidc").ToString(),
    ["Identity__Console__PostLogoutRedirectUris__0"] = new Uri(consoleUrl, "signout-callback-oidc").ToString(),
}, database: identityDatabase);
using var kafka = KafkaMockCluster.Start();
foreach (var topic in KafkaTopics.All)
{
    kafka.CreateTopic(topic, PipelineKafka.Partitions);
}
using var redis = RedisServer.Start();
var quiet = new Dictionary<string, string>
{
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
};
await using var api = await ServiceProcess.StartAsync("TaskApi", new Dictionary<string, string>(quiet.Concat(identity.BenchmarkTaskApiEnvironment))
{
    ["ConnectionStrings__tasksdb"] = database.ConnectionString,
    ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
    ["ConnectionStrings__redis"] = redis.ConnectionString,
    ["Tracking__Key"] = "console-page-bench-tracking-key-0123456789abcdef",
    ["Tracking__PublicBaseUrl"] = "http://127.0.0.1/",
}, timeout);
var seeding = Stopwatch.StartNew();
await SeedAsync();
Console.WriteLine($"ConsolePageBench: {rows:N0} rows in each of tasks, SMS messages, emails, notification deliveries and clients " +
    $"(seeded in {seeding.Elapsed.TotalSeconds:0} s); " +
    (screenshots is null ? $"{views} views per page after {warmUps} warm-ups; {Environment.ProcessorCount} cores" : $"screenshots into {screenshots}"));
await using var console = await ServiceProcess.StartAsync("Console", new Dictionary<string, string>(quiet)
{
    ["ASPNETCORE_URLS"] = consoleUrl.ToString(),
    // As the AppHost runs it: Development serves the packages' static assets (MudBlazor's) from the build output.
    ["ASPNETCORE_ENVIRONMENT"] = "Development",
    ["DOTNET_ENVIRONMENT"] = "Development",
    ["Console__IdentityUrl"] = identity.BaseAddress.ToString(),
    ["Console__TaskApiUrl"] = api.BaseAddress.ToString(),
}, timeout);

// Each page with what shows that its data is there.
var taskId = await ScalarAsync<Guid>("SELECT id FROM tasks ORDER BY created_at DESC LIMIT 1");
var deadLetterId = await ScalarAsync<long>("SELECT id FROM dead_letters WHERE state = 'waiting' ORDER BY id DESC LIMIT 1");
(string Name, string Path, string Shown)[] pages =
[
    ("Overview", "/", "[data-testid=count-success]"),
    ("Tasks", "/tasks", "a[href^='tasks/']"),
    ("Task", $"/tasks/{taskId}", "[data-testid=task-payload]"),
    ("Dead letters", "/dead-letters", "[data-testid=dead-letter-link]"),
    ("Dead letter", $"/dead-letters/{deadLetterId}", "[data-testid=dead-letter-payload]"),
    ("Administration", "/administration", "[data-testid=operators] tbody tr"),
    ("SMS clients", "/sms", "[aria-label=Clients] >> text=79000000001"),
    ("SMS mailings", "/sms?tab=mailings", "a[href^='sms/mailings/']:not([href$='/new'])"),
    ("Mailing", "/sms/mailings/1", "[aria-label=Messages] >> text=/^7900/"),
    ("Email campaigns", "/email", "a[href^='email/campaigns/']"),
    ("Campaign", "/email/campaigns/1", "[aria-label=Messages] >> text=/@example\\.com/"),
];

using var playwright = await Playwright.CreateAsync();
await using var browser = await HeadlessChromium.LaunchAsync(playwright);
var page = await browser.NewPageAsync();
page.SetDefaultTimeout((float)timeout.TotalMilliseconds);
await page.SignInToConsoleAsync(consoleUrl, TestIdentity.AdminLogin, TestIdentity.AdminPassword);
await page.Locator("[data-interactive=true]").WaitForAsync();
if (screenshots is not null)
{
    await SaveScreenshotsAsync(screenshots);
    return 0;
}

Console.WriteLine($"  {"page",-16} {"navigated p50",13} {"p90",5} {"max",5}   {"opened p50",10} {"p90",5}   {"HTML p50",8}   (ms)");
var over = new List<string>();
foreach (var (name, path, shown) in pages)
{
    var opened = new List<TimeSpan>();
    var navigated = new List<TimeSpan>();
    var html = new List<double>();
    for (var view = 0; view < warmUps + views; view++)
    {
        // Opened: a full load and a new circuit, as a link from outside or a reload opens it.
        var started = Stopwatch.StartNew();
        var response = await page.GotoAsync(new Uri(consoleUrl, path).ToString(), new() { WaitUntil = WaitUntilState.Commit })
            ?? throw new InvalidOperationException($"{path}: no response");
        await ShownAsync(shown);
        var openTime = started.Elapsed;
        // Navigated: from another page of the console, in the same circuit: the server's rendering and its calls to
        // TaskApi, plus one round trip to the browser. This is the page's server time.
        await page.EvaluateAsync("path => Blazor.navigateTo(path)", NeutralPage);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" }).WaitForAsync();
        started.Restart();
        await page.EvaluateAsync("path => Blazor.navigateTo(path)", path);
        await ShownAsync(shown);
        if (view >= warmUps)
        {
            navigated.Add(started.Elapsed);
            opened.Add(openTime);
            html.Add(response.Request.Timing.ResponseStart - response.Request.Timing.RequestStart);
        }
    }
    navigated.Sort();
    opened.Sort();
    html.Sort();
    if (Percentile(navigated, 0.9) > target)
    {
        over.Add(name);
    }
    Console.WriteLine($"  {name,-16} {Ms(Percentile(navigated, 0.5)),13} {Ms(Percentile(navigated, 0.9)),5} {Ms(navigated[^1]),5}   " +
        $"{Ms(Percentile(opened, 0.5)),10} {Ms(Percentile(opened, 0.9)),5}   {html[html.Count / 2],8:0}");
}
Console.WriteLine($"  target: a page's server time (navigated) <= {target.TotalMilliseconds:0} ms at p90; over it: {(over.Count == 0 ? "none" : string.Join(", ", over))}");
return 0;

async Task ShownAsync(string shown)
{
    await page.Locator(shown).First.WaitForAsync();
    await page.Locator("[data-interactive=true]").WaitForAsync();
}

// The overview, a running mailing and a sending campaign as a laptop shows them, once their data and charts are there.
async Task SaveScreenshotsAsync(string directory)
{
    // Each page's chart series (a line per series, a stroked vertical line per bar).
    (string File, string Page, string Chart)[] pictures =
    [
        ("overview.png", "Overview", "[aria-label=Throughput] path.mud-chart-serie"),
        ("mailing.png", "Mailing", "[aria-label='Messages by status'] path.mud-chart-bar"),
        ("campaign.png", "Campaign", "[aria-label=Activity] path.mud-chart-serie"),
    ];
    // A laptop's window, as ConsoleQualityTests looks at the pages.
    const int Width = 1280, Height = 800;
    Directory.CreateDirectory(directory);
    await page.SetViewportSizeAsync(Width, Height);
    var errors = page.RecordErrors();
    foreach (var (file, name, chart) in pictures)
    {
        var (_, path, shown) = pages.Single(consolePage => consolePage.Name == name);
        await page.GotoAsync(new Uri(consoleUrl, path).ToString());
        await ShownAsync(shown);
        // A chart with data: one of its series spans a height (all zeros, nothing to show, are a flat line and bars of none).
        await page.WaitForFunctionAsync("series => [...document.querySelectorAll(series)].some(path => path.getBBox().height > 0)", chart,
            new() { Timeout = 30_000 });
        // The grids say "Loading…" until their first answer; an alert would be TaskApi's problem, not the page.
        await Assertions.Expect(page.GetByText("Loading…")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        // The console focuses the new page's heading (for screen readers); its focus ring is no part of the picture.
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        // The whole page, its charts and grids below the fold too, in a window as tall as the page (a full-page
        // screenshot of an 800-pixel window would end the menu's drawer at 800 pixels).
        await page.SetViewportSizeAsync(Width, await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight"));
        var picture = Path.Combine(directory, file);
        await page.ScreenshotAsync(new() { Path = picture, Animations = ScreenshotAnimations.Disabled });
        await page.SetViewportSizeAsync(Width, Height);
        Console.WriteLine($"  {name}: {picture} ({new FileInfo(picture).Length / 1024} KB)");
    }
    if (errors.Count > 0)
    {
        throw new InvalidOperationException($"The browser reported errors: {string.Join(Environment.NewLine, errors)}");
    }
}

async Task SeedAsync()
{
    var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);
    var seed = new ProcessStartInfo("psql", ["-v", "ON_ERROR_STOP=1", "-v", $"rows={rows}", "-q", "-f", Path.Combine(AppContext.BaseDirectory, "seed.sql")])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        Environment =
        {
            ["PGHOST"] = connection.Host,
            ["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = connection.Username,
            ["PGPASSWORD"] = connection.Password,
            ["PGDATABASE"] = connection.Database,
        },
    };
    using var psql = Process.Start(seed) ?? throw new InvalidOperationException("psql could not be started.");
    var output = psql.StandardOutput.ReadToEndAsync();
    var errors = psql.StandardError.ReadToEndAsync();
    await psql.WaitForExitAsync();
    if (psql.ExitCode != 0)
    {
        throw new InvalidOperationException($"seed.sql failed ({psql.ExitCode}): {await errors}{await output}");
    }
}

async Task<T> ScalarAsync<T>(string sql)
{
    await using var connection = new NpgsqlConnection(database.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return (T)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No row: {sql}"));
}

static TimeSpan Percentile(List<TimeSpan> sorted, double share) => sorted[(int)Math.Ceiling(share * sorted.Count) - 1];

static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
