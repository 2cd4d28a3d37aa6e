using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using MimeKit;
using Tasks.Shared;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The README's run command as a real process: it prints the admin's password and a command that gets a token, which
/// works; Ctrl+C / SIGTERM while a mailing is sending and tasks are running stops everything it started; the next run on
/// the same data folder and addresses keeps the tasks, the tokens already issued, the unsubscribe links of the emails
/// already sent and the admin's password, while the embedded Kafka starts empty, so every record of work not yet done and
/// every report not yet applied is gone and PostgreSQL alone knows what is unfinished: it all becomes final, and only the
/// sends in flight at the stop reach the provider twice. The SMS provider is a stand-in the test runs itself, so it sees
/// both runs.
/// </summary>
public sealed partial class ShutdownTests : IAsyncLifetime
{
    private const int Clients = 300;
    private const int Tasks = 40;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan EmailTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FinalTimeout = TimeSpan.FromMinutes(3);
    private readonly string _dataDirectory = AppHostProcess.NewDataDirectory();

    // Both runs at the same addresses, as a developer's are: emails link to TaskApi's, tokens name the identity service's.
    private readonly string _apiUrl = AppHostProcess.FreeUrl();
    private readonly string _identityUrl = AppHostProcess.FreeUrl();
    private readonly string _consoleUrl = AppHostProcess.FreeUrl();
    private StandInSmsGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await StandInSmsGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    // One test for all of it: each start of the whole system costs half a minute of the CI's budget.
    [Fact]
    public async Task Sigterm_ToRunCommandMidWork_StopsEverythingWithin20SecondsServicesFirstAndTheNextRunFinishesTheWorkAndKeepsTasksTokensLinksAndPassword()
    {
        var name = $"keyless {Guid.NewGuid():N}";
        var running = $"restarted {Guid.NewGuid():N}";
        Guid id;
        string password, token;
        (long List, Uri Link) unsubscribe;
        long mailing;
        DateTimeOffset stopped;
        await using (var first = await StartUpAsync())
        {
            password = PrintedAdminPassword(first);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "secrets", "admin-password")), password);
            token = await RunPrintedTokenCommandAsync(first);
            using var api = ApiClient(first, token);
            id = (await api.PostCreatedAsync("/tasks", new { name = "kept across runs" })).GetGuid();
            unsubscribe = await SendCampaignAndReadItsUnsubscribeLinkAsync(first, api);
            await SubmitKeylessAsync(first, name, 3);
            await WaitForTasksAsync(api, name, 3);
            mailing = await StartMailingAndTasksAsync(api, running);

            // Mid-mailing (the provider has some, at 50/s) and mid-tasks (runs of 5-10 s have begun).
            await Eventually.UntilAsync(() => Task.FromResult(_gateway.Requests.Count >= 50), TimeSpan.FromSeconds(60), "the provider to receive 50 messages");
            var before = await UnfinishedAsync(api, running, mailing);
            Assert.True(before.Messages > 0 && before.Tasks > 0, $"Nothing was unfinished at the stop: {before}");
            await StopWithSigtermAsync(first);
            stopped = DateTimeOffset.UtcNow;
        }

        // The second run's embedded Kafka starts empty, at the same offsets as the first's. The token taken before the
        // restart is still accepted: the identity service kept its signing key.
        await using var second = await StartUpAsync();
        using var client = ApiClient(second, token);
        await SubmitKeylessAsync(second, name, 3);

        await WaitForTasksAsync(client, name, 6);
        Assert.Equal("kept across runs", (await client.GetFromJsonAsync<JsonElement>($"/tasks/{id}")).GetProperty("name").GetString());
        Assert.DoesNotContain(second.Lines, line => line.Contains("creating a private cluster", StringComparison.Ordinal));
        // The link of an email sent before the restart still works, as a reader follows it: the tracking key was kept.
        using var reader = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(unsubscribe.Link)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsync(unsubscribe.Link, new FormUrlEncodedContent([]))).StatusCode);
        var list = await client.GetFromJsonAsync<JsonElement>($"/lists/{unsubscribe.List}");
        Assert.Equal((0, 1), (list.GetProperty("subscribers").GetInt32(), list.GetProperty("unsubscribed").GetInt32()));
        // The same admin password, which still signs in.
        Assert.Equal(password, PrintedAdminPassword(second));
        await AccessTokens.PasswordGrantAsync(new Uri(_identityUrl), FirstAdmin.Login, password);

        // What was under way at the stop becomes final, each message reaching the provider once but those in flight then.
        await Eventually.UntilAsync(async () => await UnfinishedAsync(client, running, mailing) is { Messages: 0, Tasks: 0 }, FinalTimeout,
            "every message and task to be final after the restart");
        var counts = (await client.GetFromJsonAsync<JsonElement>($"/mailings/{mailing}")).GetProperty("messages");
        Assert.Equal(Clients, counts.GetProperty("sent").GetInt32());
        var requests = _gateway.Requests;
        Assert.Equal(Clients, requests.Select(r => r.MessageId).Distinct().Count());
        // A repeat is a send the stop interrupted between the provider's answer and the sent marker: its first copy
        // reached the provider before the first run had stopped.
        var repeated = requests.GroupBy(r => r.MessageId).Where(sends => sends.Count() > 1).ToList();
        Assert.All(repeated, sends => Assert.True(sends.Min(r => r.ReceivedAt) < stopped,
            $"Message {sends.Key} was sent {sends.Count()} times, first at {sends.Min(r => r.ReceivedAt):O}, after the stop at {stopped:O}"));
    }

    /// <summary>A mailing to <see cref="Clients"/> clients and <see cref="Tasks"/> tasks named <paramref name="name"/>; answers the mailing's id.</summary>
    private static async Task<long> StartMailingAndTasksAsync(HttpClient api, string name)
    {
        var clients = Enumerable.Range(0, Clients).Select(i => new
        {
            phone = (79_000_000_000L + i).ToString(CultureInfo.InvariantCulture),
            tag = "restart",
            timezone = "Europe/Moscow",
        });
        (await api.PostAsJsonAsync("/clients/import", clients)).EnsureSuccessStatusCode();
        for (var i = 0; i < Tasks; i++)
        {
            await api.PostCreatedAsync("/tasks", new { name });
        }
        return (await api.PostCreatedAsync("/mailings", new
        {
            text = "Sale starts today",
            startAt = DateTimeOffset.UtcNow.ToString("O"),
            endAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
            filter = new { operatorCodes = Array.Empty<string>(), tags = new[] { "restart" } },
        })).GetInt64();
    }

    private static async Task<Unfinished> UnfinishedAsync(HttpClient api, string name, long mailing)
    {
        var tasks = (await api.GetFromJsonAsync<JsonElement>("/tasks?pageSize=100")).GetProperty("items").EnumerateArray()
            .Where(task => task.GetProperty("name").GetString() == name)
            .Select(task => task.GetProperty("status").GetString())
            .ToList();
        Assert.Equal(Tasks, tasks.Count);
        var messages = (await api.GetFromJsonAsync<JsonElement>($"/mailings/{mailing}")).GetProperty("messages").GetProperty("pending").GetInt32();
        return new Unfinished(messages, tasks.Count(status => status is "new" or "in_progress"));
    }

    private sealed record Unfinished(int Messages, int Tasks);

    /// <summary>When each process was first seen ended, from now; polled, so each time is late by at most the polling period.</summary>
    private static async Task<IReadOnlyDictionary<int, TimeSpan>> ExitTimesAsync(IReadOnlyList<int> pids)
    {
        var clock = Stopwatch.StartNew();
        var ended = new Dictionary<int, TimeSpan>();
        while (ended.Count < pids.Count)
        {
            Assert.True(clock.Elapsed < StopTimeout, $"still running {StopTimeout} after SIGTERM: {string.Join(", ", pids.Except(ended.Keys))}");
            foreach (var pid in pids.Where(pid => !ended.ContainsKey(pid) && !ProcessTree.IsRunning(pid)))
            {
                ended[pid] = clock.Elapsed;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
        return ended;
    }

    /// <summary>
    /// SIGTERM to the run command: it and everything it started end within <see cref="StopTimeout"/>, and the services
    /// end before PostgreSQL and Redis, which they may still be writing to while they stop.
    /// </summary>
    private static async Task StopWithSigtermAsync(AppHostProcess run)
    {
        var started = ProcessTree.StartedBy(run.Id);
        var names = started.ToDictionary(pid => pid, pid => ProcessTree.Name(pid));
        Assert.Contains("AppHost", names.Values);
        Assert.Contains("dcp", names.Values);
        Assert.All(["postgres", "redis-server", "Rnwood.Smtp4dev", "Identity", "TaskApi", "TaskWorker", "Scheduler"], name => Assert.Contains(name, names.Values));
        var services = started.Where(pid => names[pid] is "TaskApi" or "TaskWorker" or "Scheduler" or "Identity").ToList();
        // PostgreSQL's postmaster (its backends end with their clients) and Redis.
        var servers = started.Where(pid => names[pid] == "redis-server"
            || (names[pid] == "postgres" && ProcessTree.ParentId(pid) is { } parent && ProcessTree.Name(parent) != "postgres")).ToList();
        Assert.Equal((4, 2), (services.Count, servers.Count));

        var sinceSigterm = Stopwatch.StartNew();
        run.SendSignal(AppHostProcess.SigTerm);
        var ended = await ExitTimesAsync([.. services, .. servers, .. started.Except(services).Except(servers)]);

        var lastService = services.Max(pid => ended[pid]);
        var firstServer = servers.Min(pid => ended[pid]);
        Assert.True(lastService < firstServer,
            $"A server ended {lastService - firstServer} before the last service: {string.Join(", ", ended.OrderBy(e => e.Value).Select(e => $"{names[e.Key]} at {e.Value.TotalMilliseconds:F0} ms"))}");
        var left = StopTimeout - sinceSigterm.Elapsed;
        Assert.True(await Task.WhenAny(run.Exited, Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero)) == run.Exited,
            $"The run command still runs {StopTimeout} after SIGTERM.{Environment.NewLine}{run.RecentOutput}");
    }

    /// <summary>
    /// The run command with TaskApi, the identity service, the console and the dashboard on this test's ports, this test's provider at
    /// 50 SMS a second, runs of 5-10 s, and reconciliation within seconds.
    /// </summary>
    private Task<AppHostProcess> StartUpAsync() => AppHostProcess.RunUntilUpAsync([
            "--data-dir", _dataDirectory, "--api-url", _apiUrl, "--identity-url", _identityUrl, "--console-url", _consoleUrl,
            .. AppHostProcess.QuickPipelineArguments.Where(argument => !argument.StartsWith("--Worker:", StringComparison.Ordinal)),
            $"--Sms:BaseUrl={_gateway.BaseUrl}", "--Sms:Token=stand-in", "--Sms:MaxPerSecond=50", "--Sms:Timeout=00:00:05",
            "--Reconciliation:Interval=00:00:02", "--Reconciliation:TaskRunTimeout=00:00:10", "--Reconciliation:SmsSendTimeout=00:00:05",
            "--Reconciliation:SilenceMargin=00:00:05",
        ]);

    private static HttpClient ApiClient(AppHostProcess run, string token) =>
        new HttpClient { BaseAddress = new Uri(Printed(run, "taskapi: ").Split(' ')[0]) }.WithBearer(token);

    private static string Printed(AppHostProcess run, string prefix) =>
        run.Lines.Select(line => line.Trim()).First(line => line.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    /// <summary>The summary's identity line: its address, and the admin's login and password.</summary>
    private string PrintedAdminPassword(AppHostProcess run)
    {
        var identity = IdentityLine().Match(Printed(run, "identity: "));
        Assert.True(identity.Success, run.RecentOutput);
        Assert.Equal((_identityUrl, FirstAdmin.Login), (identity.Groups["url"].Value, identity.Groups["login"].Value));
        return identity.Groups["password"].Value;
    }

    [GeneratedRegex(@"^(?<url>\S+)  \(admin login: (?<login>\S+), password: (?<password>.+)\)$")]
    private static partial Regex IdentityLine();

    /// <summary>Runs the summary's "Get a token" command as a developer pastes it into a shell, and returns the token it got.</summary>
    private static async Task<string> RunPrintedTokenCommandAsync(AppHostProcess run)
    {
        var command = Printed(run, "Get a token: ");
        Assert.Contains("Send it on every API call: -H \"Authorization: Bearer <access_token>\"", run.Lines.Select(line => line.Trim()));
        using var shell = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true })!;
        var output = await shell.StandardOutput.ReadToEndAsync();
        await shell.WaitForExitAsync();
        Assert.True(shell.ExitCode == 0, $"{command} exited with {shell.ExitCode}: {output}");
        return AccessTokens.AccessToken(output);
    }

    /// <summary>
    /// A campaign to a list of one, whose template links to <c>{{ unsubscribe_url }}</c>; returns the list and the link
    /// of the email smtp4dev received, read through smtp4dev's API.
    /// </summary>
    private static async Task<(long List, Uri Link)> SendCampaignAndReadItsUnsubscribeLinkAsync(AppHostProcess run, HttpClient api)
    {
        var template = await api.PostCreatedAsync("/templates", new
        {
            name = "kept links",
            subject = "News for {{ recipient.name }}",
            html = """<p>{{ message }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>""",
        });
        var list = (await api.PostCreatedAsync("/lists", new { name = "readers" })).GetInt64();
        (await api.PostAsJsonAsync($"/lists/{list}/subscribers", new[] { new { email = "reader@example.com", name = "Reader" } })).EnsureSuccessStatusCode();
        await api.PostCreatedAsync("/campaigns", new
        {
            name = "before the restart",
            templateId = template,
            listIds = new[] { list },
            from = new { email = "news@example.com" },
            message = "Sale starts today.",
        });

        using var smtp4dev = new HttpClient { BaseAddress = new Uri(Printed(run, "Emails smtp4dev (smtp, ").Split("received: ")[1]) };
        var emailId = await Eventually.GetAsync(async () =>
            (await smtp4dev.GetFromJsonAsync<JsonElement>("/api/messages")).GetProperty("results").EnumerateArray()
                .Select(message => message.GetProperty("id").GetString())
                .FirstOrDefault(), EmailTimeout, "smtp4dev to receive the campaign's email");
        var email = MimeMessage.Load(await smtp4dev.GetStreamAsync($"/api/messages/{emailId}/raw"));
        var link = UnsubscribeLink().Match(email.HtmlBody ?? "");
        Assert.True(link.Success, email.HtmlBody);
        return (list, new Uri(WebUtility.HtmlDecode(link.Groups["url"].Value)));
    }

    [GeneratedRegex("""<a href="(?<url>[^"]+)"[^>]*>Unsubscribe</a>""")]
    private static partial Regex UnsubscribeLink();

    private static async Task SubmitKeylessAsync(AppHostProcess run, string name, int count)
    {
        using var producer = PipelineKafka.Producer(Printed(run, "Kafka bootstrap servers, e.g. for kcat -b: "));
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(KafkaTopics.TaskRequests, new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes($$"""{"name":"{{name}}"}""") });
        }
    }

    private static Task WaitForTasksAsync(HttpClient api, string name, int count) =>
        Eventually.UntilAsync(async () =>
        {
            var page = await api.GetFromJsonAsync<JsonElement>("/tasks?pageSize=100");
            return page.GetProperty("items").EnumerateArray().Count(task => task.GetProperty("name").GetString() == name) == count;
        }, TimeSpan.FromSeconds(60), $"{count} tasks named '{name}'");
}
