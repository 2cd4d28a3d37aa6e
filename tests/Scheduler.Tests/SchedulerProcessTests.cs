using EmbeddedKafka;
using Tasks.Testing;

namespace Scheduler.Tests;

public sealed class SchedulerProcessTests : IDisposable
{
    private readonly RedisServer _redis = RedisServer.Start();
    private readonly KafkaMockCluster _kafka = PipelineKafka.Start();

    [Fact]
    public async Task Release_ProcessKilledWhileEntriesWait_RestartedProcessReleasesEveryEntry()
    {
        const int entries = 300;
        const int batchSize = 20;
        var settings = SchedulerHost.Settings(_redis.ConnectionString, _kafka.BootstrapServers, "crash:");
        settings["Scheduler:ReleaseBatchSize"] = batchSize.ToString();
        // Entries claimed by the killed process come back after the lease; keep the test short.
        settings["Scheduler:LeaseDuration"] = "00:00:02";
        var topic = _kafka.CreateTargetTopic();
        using var reader = PipelineKafka.Consumer(_kafka.BootstrapServers, topic);
        using var producer = PipelineKafka.Producer(_kafka.BootstrapServers);
        // One request partition and one record partition: a request read after another is also released after it.
        const string key = "crash";
        using var first = SchedulerProcess.Start(settings);
        // Spread over 2 s, from late enough for the process to start and be assigned its partitions.
        var start = Schedules.Now.AddSeconds(6);
        var requests = Enumerable.Range(0, entries)
            .Select(i => Schedules.Request(topic, start.AddMilliseconds(i * 2000 / entries), recordKey: key))
            .ToList();
        await Task.WhenAll(requests.Select(request => producer.ScheduleAsync(request, messageKey: key)));
        List<string> released;
        try
        {
            released = (await reader.ConsumeMatchingAsync(entries / 3, _ => true, Schedules.Patience)).Select(Schedules.ScheduleIdOf).ToList();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Output:\n{first.Output}", e);
        }

        first.Kill();
        using var second = SchedulerProcess.Start(settings);
        // Released once the new process has read every request again that the killed one had not committed.
        var sentinel = Schedules.Request(topic, Schedules.Now, recordKey: key);
        await producer.ScheduleAsync(sentinel, messageKey: key);

        var expected = requests.Select(r => r.ScheduleId).Append(sentinel.ScheduleId).ToHashSet();
        try
        {
            await reader.ConsumeFirstAsync(record =>
            {
                released.Add(Schedules.ScheduleIdOf(record));
                return expected.IsSubsetOf(released);
            }, Schedules.Patience);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Missing: {expected.Except(released).Count()}. Output:\n{first.Output}\n---\n{second.Output}", e);
        }
        // A crash between produce and acknowledgement releases that batch again; nothing else may be repeated.
        var repeated = released.Count - released.Distinct().Count();
        Assert.True(repeated <= batchSize, $"{repeated} records were released twice; at most one batch ({batchSize}) may be.");
    }

    public void Dispose()
    {
        _kafka.Dispose();
        _redis.Dispose();
    }
}
