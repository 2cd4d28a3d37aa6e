using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using EmbeddedKafka;
using TaskApi.Features.Campaigns.Delivery;
using TaskApi.Features.Campaigns.Sending;
using TaskApi.Features.DeadLetters.Storing;
using TaskApi.Features.Mailings.Delivery;
using TaskApi.Features.Mailings.Planning;
using TaskApi.Features.Notifications.Delivery;
using TaskApi.Features.Notifications.Dispatch;
using TaskApi.Features.Reports.Sending;
using TaskApi.Features.Schedules.Firing;
using TaskApi.Features.Tasks.Intake;
using TaskApi.Features.Tasks.StatusUpdates;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using Tasks.Testing;

namespace TaskApi.Tests;

/// <summary>TaskApi in-process on Kestrel over its own fresh database on the real PostgreSQL server; one per test class.</summary>
public class TaskApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Tracking:PublicBaseUrl of every test API: where its tracking and unsubscribe links point.</summary>
    public const string TrackingBaseUrl = "https://mail.tasks.test";

    private readonly bool _ownsInfrastructure;

    public TaskApiFactory()
    {
        Kafka = PipelineKafka.Start();
        _ownsInfrastructure = true;
    }

    /// <summary>An API over a database and a cluster the test owns, so it can replace the API or the broker while the other stays.</summary>
    protected TaskApiFactory(PostgresDatabase database, KafkaMockCluster kafka)
    {
        Database = database;
        Kafka = kafka;
    }

    public PostgresDatabase Database { get; private set; } = null!;

    /// <summary>A cluster of this factory's own, so consumer groups of different test classes never share partitions.</summary>
    public KafkaMockCluster Kafka { get; }

    /// <summary>Extra configuration for a test class's own variant of the API (set in a derived constructor).</summary>
    protected Dictionary<string, string> Settings { get; } = [];

    /// <summary>The identity service this API trusts, shared by the assembly's tests.</summary>
    public TestIdentity Identity { get; private set; } = null!;

    /// <summary>The token every client of <see cref="CreateClient()"/> and <see cref="CreateOutsideClient"/> sends: an operator's (role operator).</summary>
    public string OperatorToken { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (_ownsInfrastructure)
        {
            Database = await PostgresDatabase.CreateAsync();
        }
        Identity = await TestIdentity.SharedAsync();
        OperatorToken = await Identity.OperatorTokenAsync();
        // Real Kestrel on a loopback port rather than TestServer: real sockets, real request limits.
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        // Starts the host, which applies the migrations.
        StartServer();
        // Until it has read the identity service's revocations, the API answers requests with tokens 503.
        var revocations = Services.GetRequiredService<RevokedTokens>();
        await Eventually.UntilAsync(() => Task.FromResult(revocations.Loaded), TimeSpan.FromSeconds(30), "the API to read the revocations");
    }

    /// <summary>A client of the API's own address that sends <paramref name="token"/> (no token when null).</summary>
    public HttpClient CreateClient(string? token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting(QuietConsole.Setting.Key, QuietConsole.Setting.Value);
        builder.UseSetting("ConnectionStrings:tasksdb", Database.ConnectionString);
        builder.UseSetting("ConnectionStrings:kafka", Kafka.BootstrapServers);
        builder.UseSetting("Tracking:PublicBaseUrl", TrackingBaseUrl);
        builder.UseSetting("Tracking:Key", "a tracking key for the tests, 32 bytes or more");
        foreach (var (key, value) in Identity.TaskApiSettings)
        {
            builder.UseSetting(key, value);
        }
        // The embedded broker rebalances after session timeout − 1 s; keep that short for tests.
        foreach (var consumer in new[] { TaskRequestsConsumer.ConsumerKey, TaskStatusConsumer.ConsumerKey, MailingDueConsumer.ConsumerKey, MessageStatusConsumer.ConsumerKey,
                     CampaignDueConsumer.ConsumerKey, EmailStatusConsumer.ConsumerKey, ReportDueConsumer.ConsumerKey, ScheduleDueConsumer.ConsumerKey,
                     NotificationDueConsumer.ConsumerKey, NotificationStatusConsumer.ConsumerKey, DeadLetterConsumer.ConsumerKey })
        {
            builder.UseSetting($"Aspire:Confluent:Kafka:Consumer:{consumer}:Config:session.timeout.ms", "6000");
        }
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// A client as a caller outside this process has: its requests carry exactly the headers a test sets. The API's
    /// HttpClient instrumentation listens in the test process too, and would give a client from <c>CreateClient</c> a
    /// trace context of its own in place of the test's <c>traceparent</c>.
    /// </summary>
    public HttpClient CreateOutsideClient() =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = CreateClient().BaseAddress,
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken) },
        };

    /// <summary>Runs <paramref name="action"/> against the API's own DbContext, for arranging and checking state.</summary>
    public async Task<T> WithDbAsync<T>(Func<TasksDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TasksDbContext>());
    }

    public Task<int> CountTasksAsync() => WithDbAsync(db => db.Tasks.CountAsync());

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_ownsInfrastructure)
        {
            await Database.DisposeAsync();
            Kafka.Dispose();
        }
    }
}

public static class HttpResponseAssertions
{
    /// <summary>Asserts an RFC 7807 problem with the status and returns its body.</summary>
    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, int expectedStatus)
    {
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expectedStatus, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 validation problem naming <paramref name="field"/> and returns that field's messages.</summary>
    public static async Task<string[]> ReadFieldErrorsAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ReadProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages),
            $"Expected an error for '{field}' in {problem.GetProperty("errors")}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
    }
}
