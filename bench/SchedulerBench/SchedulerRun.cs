using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scheduler.Extensions;
using Scheduler.Storage;
using Tasks.Shared;

namespace SchedulerBench;

/// <summary>
/// The Scheduler in this process, built by its own <c>AddApplicationServices</c> (the code the service runs), against
/// the benchmark's Redis and Kafka. Entries go in as clients send them: requests on scheduler.requests.
/// </summary>
public sealed class SchedulerRun(IHost host, IProducer<byte[]?, byte[]> producer, Cluster cluster) : IAsyncDisposable
{
    private ScheduleStore Store => host.Services.GetRequiredService<ScheduleStore>();

    /// <summary>The Scheduler for <paramref name="workload"/>: it releases only to that workload's topic and its warm-up's (its allowlist).</summary>
    public static async Task<SchedulerRun> StartAsync(Cluster cluster, Workload workload)
    {
        var warmUpTopic = $"released-warm-up-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = cluster.Redis.ConnectionString,
            ["ConnectionStrings:kafka"] = cluster.Kafka.BootstrapServers,
            ["Scheduler:KeyPrefix"] = "bench:",
            ["Scheduler:ReleaseTopics:0"] = TopicOf(workload),
            ["Scheduler:ReleaseTopics:1"] = warmUpTopic,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        var host = builder.Build();
        await host.StartAsync();
        var run = new SchedulerRun(host, cluster.CreateProducer(), cluster);
        await run.WarmUpAsync(warmUpTopic);
        return run;
    }

    public async Task<Measurement> RunAsync(Workload workload, TimeSpan lead)
    {
        var topic = cluster.CreateTopic(TopicOf(workload));
        Cluster.WarmUp(host.Services.GetRequiredService<IProducer<byte[]?, byte[]>>(), topic);
        var start = DateTimeOffset.UtcNow + lead;
        var ingesting = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workload.Count).Select(index => ScheduleAsync(index, workload.DueAt(start, index), topic)));
        while (await Store.CountAsync() < workload.Count && DateTimeOffset.UtcNow < start)
        {
            await Task.Delay(10);
        }
        Console.WriteLine($"  scheduler: {workload.Count:N0} requests published and stored in {ingesting.Elapsed.TotalSeconds:F1} s " +
            (DateTimeOffset.UtcNow < start ? "(before the first due time)" : "(NOT all before the first due time)"));

        var lastDue = workload.DueAt(start, workload.Count - 1);
        while (DateTimeOffset.UtcNow < lastDue || await Store.CountAsync() > 0)
        {
            await Task.Delay(50);
        }
        return Measurement.Read(cluster.Kafka.BootstrapServers, topic, workload, start, Cluster.Partitions);
    }

    private static string TopicOf(Workload workload) => $"released-scheduler-{workload.Name}";

    private Task ScheduleAsync(int index, DateTimeOffset dueAt, string topic)
    {
        var record = Workload.Record(index);
        var request = new ScheduleRequest($"{topic}/{index}", dueAt, topic, record.Key, record.Value, []);
        return producer.ProduceAsync(KafkaTopics.SchedulerRequests,
            new Message<byte[]?, byte[]> { Key = null, Value = MessageJson.Serialize(request) });
    }

    /// <summary>Waits for the Scheduler's consumer to be assigned its partitions (about 3 s on the embedded broker).</summary>
    private async Task WarmUpAsync(string warmUpTopic)
    {
        var topic = cluster.CreateTopic(warmUpTopic);
        await ScheduleAsync(0, DateTimeOffset.UtcNow, topic);
        while (await Store.StateOfAsync($"{topic}/0") != EntryState.Released)
        {
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        producer.Dispose();
        await host.StopAsync();
        host.Dispose();
    }
}
