using System.Globalization;
using EmbeddedKafka;
using Npgsql;
using Tasks.Shared;
using Tasks.Testing;

namespace PipelineBench;

/// <summary>How the worker of a bench pipeline runs tasks (null: not started at all).</summary>
public sealed record WorkerSetup(TimeSpan MinDelay, TimeSpan MaxDelay, int MaxInFlight, double FailureProbability = 0.2)
{
    /// <summary>Short runs, so the worker keeps up with the load and the whole flow (relay, worker, status) runs.</summary>
    public static WorkerSetup Short(int maxInFlight = 1000) => new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150), maxInFlight);

    public override string ToString() =>
        $"worker runs {Runs(MinDelay, MaxDelay)}, MaxInFlight {MaxInFlight}, failure probability {FailureProbability}";

    /// <summary>"5 s-10 s", "50 ms-150 ms".</summary>
    public static string Runs(TimeSpan min, TimeSpan max) => $"{Format(min)}-{Format(max)}";

    private static string Format(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";
}

/// <summary>What serves TaskApi's HTTP API in a bench pipeline.</summary>
public enum ApiHost
{
    /// <summary>TaskApi itself, as production runs it: every request needs a bearer token from the pipeline's identity service.</summary>
    TaskApi,

    /// <summary>
    /// bench/UnauthenticatedApi: TaskApi's own Program with every request taken for one fixed app (no token read or
    /// validated, no authorization requirement evaluated); what the REST part compares TaskApi with.
    /// </summary>
    Unauthenticated,
}

/// <summary>
/// The pipeline as production runs it: the identity service, TaskApi and TaskWorker as Release processes over fresh
/// PostgreSQL databases and an embedded Kafka cluster (librdkafka's mock cluster, running inside this bench process).
/// </summary>
public sealed class BenchPipeline : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly string[] BusyTopics = [KafkaTopics.TaskRequests, KafkaTopics.TaskWork, KafkaTopics.TaskStatus];

    private BenchPipeline(PostgresDatabase database, KafkaMockCluster kafka, PostgresDatabase identityDatabase)
    {
        Database = database;
        Kafka = kafka;
        IdentityDatabase = identityDatabase;
    }

    public PostgresDatabase Database { get; }
    public KafkaMockCluster Kafka { get; }
    public TestIdentity? Identity { get; private set; }
    public ServiceProcess? Api { get; private set; }
    public ServiceProcess? Worker { get; private set; }

    /// <summary>The token of an app granted the tasks scope, which TaskApi needs on every request; null for <see cref="ApiHost.Unauthenticated"/>, which reads none.</summary>
    public string? AppToken { get; private set; }

    private PostgresDatabase IdentityDatabase { get; }

    /// <summary>Process ids for CPU accounting.</summary>
    public Dictionary<string, int> Pids { get; } = [];

    /// <summary>The load's <c>POST /tasks</c>, with the app's token when the API needs one.</summary>
    public LoadRequest CreateTaskRequest => LoadRequest.CreateTask(Api!.BaseAddress, AppToken);

    /// <summary>A client of the API that sends the app's token when the API needs one.</summary>
    public HttpClient CreateApiClient(int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
        {
            BaseAddress = Api!.BaseAddress,
            DefaultRequestHeaders = { Authorization = AppToken is null ? null : new("Bearer", AppToken) },
        };

    public static async Task<BenchPipeline> StartAsync(BenchOptions options, WorkerSetup? worker, ApiHost host = ApiHost.TaskApi)
    {
        var kafka = KafkaMockCluster.Start();
        // The mock broker keeps only the last 100,000 message sets / 5 MB per partition: the busy topics get more
        // partitions so that 100,000 tasks (200,000 status events) fit without anything being dropped.
        foreach (var topic in KafkaTopics.All)
        {
            kafka.CreateTopic(topic, BusyTopics.Contains(topic) ? options.Partitions : PipelineKafka.Partitions);
        }
        var pipeline = new BenchPipeline(await PostgresDatabase.CreateAsync(), kafka, await PostgresDatabase.CreateAsync());
        var common = new Dictionary<string, string>(options.ServiceEnvironment);
        foreach (var (key, value) in options.ServiceLogSettings)
        {
            common[key] = value;
        }
        try
        {
            // The worker needs only Kafka: it starts while the identity service and then TaskApi do.
            var workerStarting = worker is null ? null : StartWorkerAsync(worker, kafka, common);
            try
            {
                await pipeline.StartApiAsync(options, host, common);
            }
            finally
            {
                if (workerStarting is not null)
                {
                    pipeline.Worker = await workerStarting;
                    pipeline.Pids["TaskWorker"] = pipeline.Worker.Pid;
                }
            }
            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    /// <summary>The identity service, then the API host trusting it, and the app's token when the host needs one.</summary>
    private async Task StartApiAsync(BenchOptions options, ApiHost host, IReadOnlyDictionary<string, string> common)
    {
        Identity = await TestIdentity.StartAsync(options.ServiceLogSettings, database: IdentityDatabase);
        Pids["Identity"] = Identity.Process.Pid;
        var api = new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__tasksdb"] = options.DatabaseOptions is { } extra ? $"{Database.ConnectionString};{extra}" : Database.ConnectionString,
            ["ConnectionStrings__kafka"] = Kafka.BootstrapServers,
            ["Aspire__Confluent__Kafka__Consumer__intake__Config__session.timeout.ms"] = "6000",
            ["Aspire__Confluent__Kafka__Consumer__status__Config__session.timeout.ms"] = "6000",
            // Required at start; no task of the bench sends email, so they only need to be valid.
            ["Tracking__Key"] = "pipeline-bench-tracking-key-0123456789abcdef",
            ["Tracking__PublicBaseUrl"] = "http://127.0.0.1/",
        };
        // Both hosts trust the identity service alike and read its revocations and audit events in the background.
        foreach (var (key, value) in Identity.BenchmarkTaskApiEnvironment)
        {
            api[key] = value;
        }
        Api = await ServiceProcess.StartAsync(host == ApiHost.TaskApi ? "TaskApi" : "bench/UnauthenticatedApi", api, StartTimeout);
        Pids["TaskApi"] = Api.Pid;
        if (host == ApiHost.TaskApi)
        {
            AppToken = await Identity.AppTokenAsync(await Identity.RegisterAppAsync(Scopes.Tasks));
        }
    }

    private static Task<ServiceProcess> StartWorkerAsync(WorkerSetup worker, KafkaMockCluster kafka, IReadOnlyDictionary<string, string> common) =>
        ServiceProcess.StartAsync("TaskWorker", new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
            ["Worker__MinDelay"] = worker.MinDelay.ToString("c"),
            ["Worker__MaxDelay"] = worker.MaxDelay.ToString("c"),
            ["Worker__MaxInFlight"] = worker.MaxInFlight.ToString(CultureInfo.InvariantCulture),
            ["Worker__FailureProbability"] = worker.FailureProbability.ToString(CultureInfo.InvariantCulture),
            ["Aspire__Confluent__Kafka__Consumer__taskworker__Config__session.timeout.ms"] = "6000",
        }, StartTimeout);

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>All tasks, and those that are success or error.</summary>
    public static async Task<(long All, long Terminal)> CountAsync(NpgsqlConnection connection, string? namePrefix = null)
    {
        var filter = namePrefix is null ? "" : "WHERE name LIKE @prefix";
        await using var command = new NpgsqlCommand(
            $"SELECT count(*), count(*) FILTER (WHERE status IN ('success', 'error')) FROM tasks {filter}", connection);
        if (namePrefix is not null)
        {
            command.Parameters.AddWithValue("prefix", namePrefix + "%");
        }
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Waits until <paramref name="expected"/> tasks exist and all are terminal; returns false on timeout.</summary>
    public static async Task<bool> WaitAllTerminalAsync(NpgsqlConnection connection, long expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var (all, terminal) = await CountAsync(connection);
            if (all >= expected && terminal == all)
            {
                return true;
            }
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }

    public IEnumerable<string> LogFiles => new[] { Identity?.Process, Api, Worker }.OfType<ServiceProcess>().Select(p => p.LogFile);

    public async ValueTask DisposeAsync()
    {
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }
        if (Identity is not null)
        {
            await Identity.DisposeAsync();
        }
        Kafka.Dispose();
        await IdentityDatabase.DisposeAsync();
        await Database.DisposeAsync();
    }
}
