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
        $"worker runs {Format(MinDelay)}-{Format(MaxDelay)}, MaxInFlight {MaxInFlight}, failure probability {FailureProbability}";

    private static string Format(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";
}

/// <summary>
/// The pipeline as production runs it: TaskApi and TaskWorker as Release processes over a fresh PostgreSQL database
/// and an embedded Kafka cluster (librdkafka's mock cluster, running inside this bench process).
/// </summary>
public sealed class BenchPipeline : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly string[] BusyTopics = [KafkaTopics.TaskRequests, KafkaTopics.TaskWork, KafkaTopics.TaskStatus];

    private BenchPipeline(PostgresDatabase database, KafkaMockCluster kafka)
    {
        Database = database;
        Kafka = kafka;
    }

    public PostgresDatabase Database { get; }
    public KafkaMockCluster Kafka { get; }
    public ServiceProcess? Api { get; private set; }
    public ServiceProcess? Worker { get; private set; }

    /// <summary>Process ids for CPU accounting.</summary>
    public Dictionary<string, int> Pids { get; } = [];

    public static async Task<BenchPipeline> StartAsync(BenchOptions options, WorkerSetup? worker)
    {
        var kafka = KafkaMockCluster.Start();
        // The mock broker keeps only the last 100,000 message sets / 5 MB per partition: the busy topics get more
        // partitions so that 100,000 tasks (200,000 status events) fit without anything being dropped.
        foreach (var topic in KafkaTopics.All)
        {
            kafka.CreateTopic(topic, BusyTopics.Contains(topic) ? options.Partitions : PipelineKafka.Partitions);
        }
        var pipeline = new BenchPipeline(await PostgresDatabase.CreateAsync(), kafka);
        try
        {
            var common = new Dictionary<string, string>(options.ServiceEnvironment);
            if (options.ServiceLogLevel is { } level)
            {
                common["Logging__LogLevel__Default"] = level;
                common["Logging__LogLevel__Microsoft.AspNetCore"] = level;
                // ServiceProcess learns the port from the "Now listening on" line.
                common["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
            }
            var tasksDb = options.DatabaseOptions is { } extra ? $"{pipeline.Database.ConnectionString};{extra}" : pipeline.Database.ConnectionString;
            pipeline.Api = await ServiceProcess.StartAsync("TaskApi", new Dictionary<string, string>(common)
            {
                ["ConnectionStrings__tasksdb"] = tasksDb,
                ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
                ["Aspire__Confluent__Kafka__Consumer__intake__Config__session.timeout.ms"] = "6000",
                ["Aspire__Confluent__Kafka__Consumer__status__Config__session.timeout.ms"] = "6000",
            }, StartTimeout);
            pipeline.Pids["TaskApi"] = FindChild("TaskApi.dll");
            if (worker is not null)
            {
                pipeline.Worker = await ServiceProcess.StartAsync("TaskWorker", new Dictionary<string, string>(common)
                {
                    ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
                    ["Worker__MinDelay"] = worker.MinDelay.ToString("c"),
                    ["Worker__MaxDelay"] = worker.MaxDelay.ToString("c"),
                    ["Worker__MaxInFlight"] = worker.MaxInFlight.ToString(CultureInfo.InvariantCulture),
                    ["Worker__FailureProbability"] = worker.FailureProbability.ToString(CultureInfo.InvariantCulture),
                    ["Aspire__Confluent__Kafka__Consumer__taskworker__Config__session.timeout.ms"] = "6000",
                }, StartTimeout);
                pipeline.Pids["TaskWorker"] = FindChild("TaskWorker.dll");
            }
            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

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

    public IEnumerable<string> LogFiles => new[] { Api, Worker }.OfType<ServiceProcess>().Select(p => p.LogFile);

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
        Kafka.Dispose();
        await Database.DisposeAsync();
    }

    /// <summary>The pid of this process's child running <paramref name="assembly"/> (ServiceProcess does not expose it).</summary>
    public static int FindChild(string assembly)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (parent == Environment.ProcessId && File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(assembly, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
        }
        return 0;
    }
}
