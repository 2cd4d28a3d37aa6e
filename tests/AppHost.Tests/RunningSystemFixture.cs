using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tasks.Shared;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The real AppHost (its Program, through Aspire.Hosting.Testing) on this machine's programs, with replicas: two
/// TaskApi and two TaskWorker instances beside one Scheduler, a private PostgreSQL and Redis in a fresh data folder,
/// the embedded Kafka, the identity service, and the dashboard. Tasks run for a fraction of a second. API clients carry
/// the first admin's token, signed in with the password the AppHost generated.
/// </summary>
public sealed class RunningSystemFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private DistributedApplication? _app;
    private string? _adminToken;

    public string DataDirectory { get; } = AppHostProcess.NewDataDirectory();

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost did not start.");

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true },
            [
                "--AppHost:Containers=false", "--data-dir", DataDirectory, "--replicas", "worker=2", "api=2",
                // Aspire.Hosting.Testing randomizes proxied ports only: the identity service's is not proxied.
                "--identity-url", AppHostProcess.FreeUrl(),
                .. AppHostProcess.QuickPipelineArguments,
            ]);
        _app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await _app.StartAsync(timeout.Token);
        // TaskApi waits for the identity service.
        foreach (var service in new[] { "taskapi", "taskworker", "scheduler" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }
        _adminToken = await AccessTokens.PasswordGrantAsync(App.GetEndpoint(ResourceNames.Identity, "http"), FirstAdmin.Login, await AdminPasswordAsync());
    }

    /// <summary>A client of TaskApi (Aspire's proxy over both replicas) with the admin's token.</summary>
    public HttpClient CreateApiClient() => CreateAnonymousApiClient().WithBearer(AdminToken);

    /// <summary>A client of the identity service with the admin's token.</summary>
    public HttpClient CreateIdentityClient() => new HttpClient { BaseAddress = App.GetEndpoint(ResourceNames.Identity, "http") }.WithBearer(AdminToken);

    /// <summary>The console's address (Aspire's proxy at a port of this run).</summary>
    public Uri ConsoleAddress => App.GetEndpoint(ResourceNames.Console, "http");

    /// <summary>A client of TaskApi that sends no token.</summary>
    public HttpClient CreateAnonymousApiClient() => App.CreateHttpClient("taskapi");

    /// <summary>The first admin's password: the secret parameter the AppHost generated and gave the identity service.</summary>
    public async Task<string> AdminPasswordAsync() =>
        await App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(parameter => parameter.Name == "admin-password")
            .GetValueAsync(CancellationToken.None) ?? throw new InvalidOperationException("admin-password has no value.");

    /// <summary>Opens <paramref name="path"/> of the console, which sends the browser to the login page; signs in there as the admin.</summary>
    public async Task SignInToConsoleAsync(Microsoft.Playwright.IPage page, string path) =>
        await page.SignInToConsoleAsync(new Uri(ConsoleAddress, path), FirstAdmin.Login, await AdminPasswordAsync());

    private string AdminToken => _adminToken ?? throw new InvalidOperationException("The AppHost did not start.");

    /// <summary>
    /// A client whose requests carry exactly the headers a test sets, as an outside caller's do (and the admin's token):
    /// no trace context of this process replaces the test's <c>traceparent</c>.
    /// </summary>
    public HttpClient CreateOutsideApiClient() =>
        new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = App.GetEndpoint("taskapi", "http") }.WithBearer(AdminToken);

    /// <summary>The dashboard's telemetry API, with the key the AppHost gave the dashboard.</summary>
    public async Task<HttpClient> CreateDashboardApiClientAsync()
    {
        var login = await App.GetDashboardUrlAsync();
        var client = new HttpClient { BaseAddress = new Uri(login.GetLeftPart(UriPartial.Authority)) };
        client.DefaultRequestHeaders.Add("x-api-key", App.Services.GetRequiredService<IConfiguration>()["AppHost:DashboardApiKey"]);
        return client;
    }

    /// <summary>The latest snapshot of every instance of <paramref name="resourceName"/> (replicas have one each), once <paramref name="count"/> are known.</summary>
    public async Task<IReadOnlyList<ResourceEvent>> InstancesAsync(string resourceName, int count, Func<ResourceEvent, bool>? until = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var instances = new Dictionary<string, ResourceEvent>();
        await foreach (var change in App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (change.Resource.Name != resourceName)
            {
                continue;
            }
            instances[change.ResourceId] = change;
            if (instances.Count == count && instances.Values.All(until ?? (_ => true)))
            {
                return [.. instances.Values];
            }
        }
        throw new TimeoutException($"{resourceName} did not have {count} matching instances.");
    }

    /// <summary>The environment each instance of <paramref name="resourceName"/> was started with, as the dashboard shows it.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string?>>> EnvironmentsAsync(string resourceName, int count)
    {
        var instances = await InstancesAsync(resourceName, count, instance => !instance.Snapshot.EnvironmentVariables.IsEmpty);
        return [.. instances.Select(instance => instance.Snapshot.EnvironmentVariables.ToDictionary(variable => variable.Name, variable => variable.Value))];
    }

    public async Task<Guid> CreateTaskAsync(string name)
    {
        using var client = CreateApiClient();
        return (await client.PostCreatedAsync("/tasks", new { name })).GetGuid();
    }

    /// <summary>
    /// A valid task request produced to tasks.requests.dlq as the intake would have dead-lettered it, with the dlq-* headers a
    /// consumer writes; TaskApi's consumer stores it as a dead letter.
    /// </summary>
    public async Task ProduceTaskDeadLetterAsync(string name, string reason)
    {
        var bootstrapServers = await App.GetConnectionStringAsync(ResourceNames.Kafka);
        using var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        await producer.ProduceAsync(KafkaTopics.TaskRequestsDeadLetter, new Message<string?, string>
        {
            Value = JsonSerializer.Serialize(new { name, payload = new { n = 1 } }),
            Headers = new Headers
            {
                { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason) },
                { DeadLetterHeaders.Source, Encoding.UTF8.GetBytes($"{KafkaTopics.TaskRequests}/0/1") },
            },
        });
    }

    /// <summary>Waits until the task is success or error (the worker fails some on purpose) and returns its status.</summary>
    public async Task<string> WaitFinishedAsync(Guid id, TimeSpan timeout)
    {
        using var client = CreateApiClient();
        return await Eventually.GetAsync(async () =>
        {
            var status = (await client.GetFromJsonAsync<JsonElement>($"/tasks/{id}")).GetProperty("status").GetString();
            return status is "success" or "error" ? status : null;
        }, timeout, $"task {id} to finish");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

/// <summary>The test classes that share one running system: starting another costs a minute of CI.</summary>
[CollectionDefinition(Name)]
public sealed class RunningSystemCollection : ICollectionFixture<RunningSystemFixture>
{
    public const string Name = "running system";
}
