using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Tasks.Shared;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The README's run command stopped (SIGTERM, a developer's Ctrl+C) while a mailing is sending and tasks are running,
/// and started again on the same data: the embedded Kafka starts empty, so every record of work not yet done and every
/// report not yet applied is gone, and PostgreSQL alone knows what is unfinished. The SMS provider is a stand-in the
/// test runs itself, so it sees both runs.
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private const int Clients = 300;
    private const int Tasks = 40;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FinalTimeout = TimeSpan.FromMinutes(3);

    private readonly string _dataDirectory = AppHostProcess.NewDataDirectory();
    private readonly string _apiUrl = AppHostProcess.FreeUrl();
    private readonly string _identityUrl = AppHostProcess.FreeUrl();
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

    [Fact]
    public async Task Sigterm_MidMailingAndMidTasks_EveryMessageAndTaskIsFinalAfterTheNextStartAndOnlySendsInFlightAtTheStopRepeat()
    {
        var name = $"restarted {Guid.NewGuid():N}";
        string token;
        long mailing;
        DateTimeOffset stopped;
        await using (var first = await StartUpAsync())
        {
            token = await AccessTokens.PasswordGrantAsync(new Uri(_identityUrl), FirstAdmin.Login,
                await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "secrets", "admin-password")));
            using var api = ApiClient(token);
            await ImportClientsAsync(api);
            for (var i = 0; i < Tasks; i++)
            {
                await api.PostCreatedAsync("/tasks", new { name });
            }
            mailing = (await api.PostCreatedAsync("/mailings", new
            {
                text = "Sale starts today",
                startAt = DateTimeOffset.UtcNow.ToString("O"),
                endAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
                filter = new { operatorCodes = Array.Empty<string>(), tags = new[] { "restart" } },
            })).GetInt64();

            // Mid-mailing (the provider has some, at 50/s) and mid-tasks (runs of 5-10 s have begun).
            await Eventually.UntilAsync(() => Task.FromResult(_gateway.Requests.Count >= 50), TimeSpan.FromSeconds(60), "the provider to receive 50 messages");
            var before = await UnfinishedAsync(api, name, mailing);
            Assert.True(before.Messages > 0 && before.Tasks > 0, $"Nothing was unfinished at the stop: {before}");
            first.SendSignal(AppHostProcess.SigTerm);
            Assert.True(await Task.WhenAny(first.Exited, Task.Delay(StopTimeout)) == first.Exited, first.RecentOutput);
            stopped = DateTimeOffset.UtcNow;
        }

        await using var second = await StartUpAsync();
        using var client = ApiClient(token);
        await Eventually.UntilAsync(async () => await UnfinishedAsync(client, name, mailing) is { Messages: 0, Tasks: 0 }, FinalTimeout,
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

    /// <summary>The run command with this test's provider, 50 SMS a second, runs of 5-10 s, and reconciliation within seconds.</summary>
    private Task<AppHostProcess> StartUpAsync() => AppHostProcess.RunUntilUpAsync([
            "--data-dir", _dataDirectory, "--api-url", _apiUrl, "--identity-url", _identityUrl,
            .. AppHostProcess.QuickPipelineArguments.Where(argument => !argument.StartsWith("--Worker:", StringComparison.Ordinal)),
            $"--Sms:BaseUrl={_gateway.BaseUrl}", "--Sms:Token=stand-in", "--Sms:MaxPerSecond=50", "--Sms:Timeout=00:00:05",
            "--Reconciliation:Interval=00:00:02", "--Reconciliation:TaskRunTimeout=00:00:10", "--Reconciliation:SmsSendTimeout=00:00:05",
            "--Reconciliation:SilenceMargin=00:00:05",
        ]);

    private HttpClient ApiClient(string token) => new HttpClient { BaseAddress = new Uri(_apiUrl) }.WithBearer(token);

    private static async Task ImportClientsAsync(HttpClient api)
    {
        var clients = Enumerable.Range(0, Clients).Select(i => new
        {
            phone = (79_000_000_000L + i).ToString(CultureInfo.InvariantCulture),
            tag = "restart",
            timezone = "Europe/Moscow",
        });
        (await api.PostAsJsonAsync("/clients/import", clients)).EnsureSuccessStatusCode();
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
}
