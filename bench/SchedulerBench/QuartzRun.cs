using System.Collections.Concurrent;
using System.Diagnostics;
using Quartz;
using Quartz.Extensibility;

namespace SchedulerBench;

/// <summary>
/// The same workload through Quartz.NET with its defaults (in-memory job store, default thread pool of 10, one
/// trigger acquired per round): one trigger per entry on one durable job.
/// </summary>
public static class QuartzRun
{
    /// <summary>
    /// The job produces the entry's record to Kafka and waits for the acknowledgement, as the Scheduler does before it
    /// counts an entry as released; lateness is measured on the records, as for the Scheduler.
    /// </summary>
    public static async Task<Measurement> ProducingAsync(Workload workload, TimeSpan lead, Cluster cluster)
    {
        var topic = cluster.CreateTopic($"released-quartz-{workload.Name}");
        using var producer = cluster.CreateProducer();
        Cluster.WarmUp(producer, topic);
        var start = await RunAsync(workload, lead, (index, cancellationToken) =>
            new ValueTask(producer.ProduceAsync(topic, Workload.Record(index), cancellationToken)));
        return Measurement.Read(cluster.Kafka.BootstrapServers, topic, workload, start, Cluster.Partitions);
    }

    /// <summary>The job only notes when it started: Quartz's own firing, without the cost of the Kafka round trip.</summary>
    public static async Task<Measurement> FiringAsync(Workload workload, TimeSpan lead)
    {
        var fired = new ConcurrentBag<(int Index, DateTimeOffset FiredAt)>();
        var start = await RunAsync(workload, lead, (index, _) =>
        {
            fired.Add((index, DateTimeOffset.UtcNow));
            return ValueTask.CompletedTask;
        });
        return Measurement.Of(fired, workload, start);
    }

    /// <summary>Schedules the workload, runs it until every entry was released, and returns its start time.</summary>
    private static async Task<DateTimeOffset> RunAsync(Workload workload, TimeSpan lead, Func<int, CancellationToken, ValueTask> release)
    {
        var job = new ReleaseJob(release, workload.Count);
        var factory = QuartzSchedulerBuilder.Create(quartz => quartz
                .UseInMemoryStore()
                .UseJobFactory(new SingleJobFactory(job)))
            .Build();
        var scheduler = await factory.GetScheduler();

        var start = DateTimeOffset.UtcNow + lead;
        var scheduling = Stopwatch.StartNew();
        var jobDetail = JobBuilder.Create<ReleaseJob>().WithIdentity("release").StoreDurably().Build();
        var triggers = Enumerable.Range(0, workload.Count)
            .Select(index => TriggerBuilder.Create(TimeProvider.System)
                .WithIdentity(index.ToString())
                .ForJob(jobDetail)
                .StartAt(workload.DueAt(start, index))
                .Build())
            .ToList();
        await scheduler.ScheduleJob(jobDetail, triggers, new ScheduleJobOptions(), CancellationToken.None);
        await scheduler.Start(CancellationToken.None);
        Console.WriteLine($"  quartz: {workload.Count:N0} triggers scheduled in {scheduling.Elapsed.TotalSeconds:F1} s " +
            (DateTimeOffset.UtcNow < start ? "(before the first due time)" : "(NOT all before the first due time)"));

        await job.AllReleased;
        await scheduler.Shutdown(true, CancellationToken.None);
        return start;
    }

    private sealed class ReleaseJob(Func<int, CancellationToken, ValueTask> release, int count) : IJob
    {
        private readonly TaskCompletionSource _allReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _released;

        public Task AllReleased => _allReleased.Task;

        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            await release(int.Parse(context.Trigger.Key.Name), cancellationToken);
            if (Interlocked.Increment(ref _released) == count)
            {
                _allReleased.SetResult();
            }
        }
    }

    /// <summary>Hands Quartz the one job instance, which knows what releasing means in this run.</summary>
    private sealed class SingleJobFactory(IJob job) : IJobFactory
    {
        public ValueTask<JobScope> CreateJob(TriggerFiredBundle bundle, IScheduler scheduler, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new JobScope(job, null));

        public ValueTask ReturnJob(JobScope scope, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
