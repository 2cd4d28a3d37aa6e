using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EmbeddedKafka;
using Npgsql;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>How the workers of a pipeline run tasks.</summary>
public sealed record WorkerSettings(TimeSpan MinDelay, TimeSpan MaxDelay, double FailureProbability = 0)
{
    public static readonly WorkerSettings Quick = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150));
}

/// <summary>
/// The whole task pipeline as it runs in production: TaskApi and TaskWorker as real processes over a fresh
/// PostgreSQL database and an embedded Kafka cluster, so a test can kill any process with kill -9.
/// </summary>
public sealed class RunningPipeline : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly WorkerSettings _workerSettings;

    private RunningPipeline(
        PostgresDatabase database, KafkaMockCluster kafka, WorkerSettings workerSettings, RedisServer? redis, StandInSmsGateway? gateway, StandInSmtpServer? smtp)
    {
        Database = database;
        Kafka = kafka;
        _workerSettings = workerSettings;
        Redis = redis;
        Gateway = gateway;
        Smtp = smtp;
    }

    public const string SmsToken = "pipeline-token";

    /// <summary>The key TaskApi and TaskWorker sign and check tracking tokens with.</summary>
    public const string TrackingKey = "pipeline-tracking-key-0123456789abcdef";

    /// <summary>The SMTP server the workers send email to, when the pipeline sends email.</summary>
    public StandInSmtpServer? Smtp { get; }

    /// <summary>The SMS provider the workers send to, when the pipeline sends SMS.</summary>
    public StandInSmsGateway? Gateway { get; }

    /// <summary>The Scheduler's (and the workers' SMS) Redis, when the pipeline runs one.</summary>
    public RedisServer? Redis { get; }
    public ServiceProcess? Scheduler { get; private set; }

    public PostgresDatabase Database { get; }

    /// <summary>The identity service TaskApi trusts (shared by the assembly's tests), and the operator's token the tests send.</summary>
    public TestIdentity Identity { get; private set; } = null!;
    public string OperatorToken { get; private set; } = null!;
    public KafkaMockCluster Kafka { get; }
    public ServiceProcess Api { get; private set; } = null!;
    public List<ServiceProcess> Workers { get; } = [];

    /// <summary>
    /// Starts TaskApi and TaskWorker, and with <paramref name="withScheduler"/> a Redis server and the Scheduler; with
    /// <paramref name="withSms"/> also those and a stand-in SMS provider the workers send to; with <paramref name="withEmail"/>
    /// those and a stand-in SMTP server.
    /// </summary>
    public static async Task<RunningPipeline> StartAsync(WorkerSettings workerSettings, bool withScheduler = false, bool withSms = false, bool withEmail = false)
    {
        var pipeline = new RunningPipeline(await PostgresDatabase.CreateAsync(), PipelineKafka.Start(), workerSettings,
            withScheduler || withSms || withEmail ? RedisServer.Start() : null, withSms ? await StandInSmsGateway.StartAsync() : null,
            withEmail ? await StandInSmtpServer.StartAsync() : null);
        withScheduler |= withSms || withEmail;
        try
        {
            pipeline.Identity = await TestIdentity.SharedAsync();
            pipeline.OperatorToken = await pipeline.Identity.OperatorTokenAsync();
            await pipeline.StartApiAsync();
            await pipeline.StartWorkerAsync();
            if (withScheduler)
            {
                await pipeline.StartSchedulerAsync();
            }
            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    public async Task StartApiAsync() =>
        Api = await ServiceProcess.StartAsync("TaskApi", new Dictionary<string, string>(Identity.TaskApiEnvironment)
        {
            ["ConnectionStrings__tasksdb"] = Database.ConnectionString,
            ["ConnectionStrings__kafka"] = Kafka.BootstrapServers,
            // The embedded broker rebalances after session timeout − 1 s: keep it short so restarts are quick.
            ["Aspire__Confluent__Kafka__Consumer__intake__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__status__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__mailings__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__messages-status__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__campaigns__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__emails-status__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__reports__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__notifications-status__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__notifications-due__Config__session.timeout.ms"] = "6000",
            // Quick retries and reconciliation, so scheduling tests take seconds.
            ["Retries__BaseDelay"] = "00:00:00.500",
            ["Mailings__Retries__BaseDelay"] = "00:00:00.500",
            ["Campaigns__Retries__BaseDelay"] = "00:00:00.500",
            ["Notifications__Retries__BaseDelay"] = "00:00:00.500",
            // Bursts of 500 a second: a notification of a few thousand users is spread over seconds, not tens of seconds.
            ["Notifications__BurstSize"] = "500",
            ["Notifications__BurstPerSecond"] = "500",
            ["Tracking__Key"] = TrackingKey,
            // Only its preview uses it; the workers put the API's own address into the emails.
            ["Tracking__PublicBaseUrl"] = "http://127.0.0.1/",
            ["Reconciliation__Interval"] = "00:00:02",
        }, StartTimeout);

    private async Task StartSchedulerAsync() =>
        Scheduler = await ServiceProcess.StartAsync("Scheduler", new Dictionary<string, string>
        {
            ["ConnectionStrings__kafka"] = Kafka.BootstrapServers,
            ["ConnectionStrings__redis"] = Redis!.ConnectionString,
            ["Aspire__Confluent__Kafka__Consumer__scheduler-requests__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__scheduler-cancels__Config__session.timeout.ms"] = "6000",
        }, StartTimeout);

    public async Task<ServiceProcess> StartWorkerAsync()
    {
        var sms = Gateway is null ? [] : new Dictionary<string, string>
        {
            ["Sms__BaseUrl"] = Gateway.BaseUrl.ToString(),
            ["Sms__Token"] = SmsToken,
            ["ConnectionStrings__redis"] = Redis!.ConnectionString,
            ["Aspire__Confluent__Kafka__Consumer__taskworker-sms__Config__session.timeout.ms"] = "6000",
        };
        var email = Smtp is null ? [] : new Dictionary<string, string>
        {
            ["Smtp__Host"] = Smtp.Host,
            ["Smtp__Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Tracking__Key"] = TrackingKey,
            ["Tracking__PublicBaseUrl"] = Api.BaseAddress.ToString(),
            ["ConnectionStrings__redis"] = Redis!.ConnectionString,
            ["Aspire__Confluent__Kafka__Consumer__taskworker-email__Config__session.timeout.ms"] = "6000",
        };
        // A worker sends notifications only when it sends both SMS and email.
        var notifications = Gateway is null || Smtp is null ? [] : new Dictionary<string, string>
        {
            ["Aspire__Confluent__Kafka__Consumer__taskworker-notifications__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__taskworker-notifications-express__Config__session.timeout.ms"] = "6000",
        };
        var worker = await ServiceProcess.StartAsync("TaskWorker", new Dictionary<string, string>(sms.Concat(email).Concat(notifications).DistinctBy(pair => pair.Key))
        {
            ["ConnectionStrings__kafka"] = Kafka.BootstrapServers,
            ["Worker__MinDelay"] = _workerSettings.MinDelay.ToString("c"),
            ["Worker__MaxDelay"] = _workerSettings.MaxDelay.ToString("c"),
            ["Worker__FailureProbability"] = _workerSettings.FailureProbability.ToString(CultureInfo.InvariantCulture),
            ["Aspire__Confluent__Kafka__Consumer__taskworker__Config__session.timeout.ms"] = "6000",
        }, StartTimeout);
        Workers.Add(worker);
        return worker;
    }

    /// <summary>A client of TaskApi that sends the operator's token.</summary>
    public HttpClient CreateApiClient() => Api.CreateClient(OperatorToken);

    public Task<Guid> CreateTaskAsync(string name) => CreateTaskAsync(new { name });

    public async Task<Guid> CreateTaskAsync(object request)
    {
        using var client = CreateApiClient();
        var response = await client.PostAsJsonAsync("/tasks", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> GetTaskAsync(Guid id)
    {
        using var client = CreateApiClient();
        return await client.GetFromJsonAsync<JsonElement>($"/tasks/{id}");
    }

    /// <summary>Waits until task <paramref name="id"/> is success or error; answers it as the API shows it then.</summary>
    public async Task<JsonElement> WaitTerminalAsync(Guid id, TimeSpan timeout) =>
        (JsonElement)await Eventually.GetAsync(async () =>
        {
            var task = await GetTaskAsync(id);
            return task.GetProperty("status").GetString() is "success" or "error" ? (object)task : null;
        }, timeout, $"task {id} to finish");

    /// <summary>Waits until the one task named <paramref name="name"/> exists and is success or error; answers it as the API shows it then.</summary>
    public async Task<JsonElement> WaitTerminalAsync(string name, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        var id = await Eventually.GetAsync(async () =>
        {
            await using var command = new NpgsqlCommand("SELECT id FROM tasks WHERE name = @name AND status IN ('success', 'error')", connection)
            {
                Parameters = { new("name", name) },
            };
            return await command.ExecuteScalarAsync();
        }, timeout, $"task '{name}' to finish");
        return await GetTaskAsync((Guid)id);
    }

    /// <summary>How many tasks are in each status, read from the database (the system of record).</summary>
    public async Task<Dictionary<string, long>> CountByStatusAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status, count(*) FROM tasks GROUP BY status", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    /// <summary>Waits until <paramref name="expected"/> tasks exist and all are success or error.</summary>
    public async Task WaitAllTerminalAsync(int expected, TimeSpan timeout)
    {
        var counts = new Dictionary<string, long>();
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                counts = await CountByStatusAsync();
                return counts.Values.Sum() == expected && counts.GetValueOrDefault("success") + counts.GetValueOrDefault("error") == expected;
            }, timeout, $"{expected} tasks to be success or error");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Last counts: {string.Join(", ", counts)}; {await DescribeAsync()}", e);
        }
    }

    /// <summary>The outbox backlog and each process's last lines, for failure messages.</summary>
    private async Task<string> DescribeAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FILTER (WHERE sent_at IS NULL), count(*) FROM outbox_messages", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var processes = Workers.Prepend(Api).Concat(Scheduler is null ? [] : [Scheduler]).Select(p => $"--- {p.Name}{(p.HasExited ? " (exited)" : "")}:{Environment.NewLine}{p.RecentOutput}");
        return $"outbox: {reader.GetInt64(0)} of {reader.GetInt64(1)} unsent{Environment.NewLine}{string.Join(Environment.NewLine, processes)}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in Workers)
        {
            await worker.DisposeAsync();
        }
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }
        if (Scheduler is not null)
        {
            await Scheduler.DisposeAsync();
        }
        Redis?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }
        Kafka.Dispose();
        await Database.DisposeAsync();
    }
}
