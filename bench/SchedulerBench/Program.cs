namespace SchedulerBench;

/// <summary>
/// Release lateness and throughput of the Scheduler and of Quartz.NET, side by side, for (a) entries spread evenly over
/// a minute and (b) entries all due in the same second. <c>--quick</c> scales both down for a fast run; <c>--smoke</c>
/// runs one small spread workload, which only checks that the path still runs (CI).
/// </summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        // Smoke: one small workload; each costs about 15 s of fixed waits (consumer group joins, the lead before the first due time).
        Workload[] workloads = args.Contains("--smoke") ? [new("spread", 200, TimeSpan.FromSeconds(1))]
            : args.Contains("--quick") ? [new("spread", 2_000, TimeSpan.FromSeconds(10)), new("burst", 20_000, TimeSpan.Zero)]
            : [new("spread", 10_000, TimeSpan.FromSeconds(60)), new("burst", 100_000, TimeSpan.Zero)];

        using var cluster = new Cluster();
        var results = new List<(Workload Workload, Measurement Scheduler, Measurement Quartz, Measurement QuartzFiring)>();
        foreach (var workload in workloads)
        {
            // Long enough to publish and store every entry (or schedule every trigger) before the first is due.
            var lead = TimeSpan.FromSeconds(3 + workload.Count / 20_000.0);
            Console.WriteLine($"{Describe(workload)}:");
            Measurement scheduler;
            await using (var run = await SchedulerRun.StartAsync(cluster, workload))
            {
                scheduler = await run.RunAsync(workload, lead);
            }
            var quartz = await QuartzRun.ProducingAsync(workload, lead, cluster);
            var quartzFiring = await QuartzRun.FiringAsync(workload, lead);
            results.Add((workload, scheduler, quartz, quartzFiring));
        }

        Console.WriteLine();
        Console.WriteLine("Lateness: release time minus due time. Release time: the Kafka record's timestamp, stamped when the record is");
        Console.WriteLine("handed to the producer (Scheduler; Quartz producing), or when the job started (Quartz firing only: no Kafka).");
        Console.WriteLine($"{"workload",-30} {"",-27} {"Scheduler",12} {"Quartz producing",18} {"Quartz firing only",20}");
        foreach (var (workload, scheduler, quartz, firing) in results)
        {
            Row(Describe(workload), "lateness p50 (ms)", [scheduler, quartz, firing], m => m.P50Ms.ToString("F0"));
            Row("", "lateness p99 (ms)", [scheduler, quartz, firing], m => m.P99Ms.ToString("F0"));
            Row("", "lateness max (ms)", [scheduler, quartz, firing], m => m.MaxMs.ToString("F0"));
            Row("", "release throughput (1/s)", [scheduler, quartz, firing], m => m.EntriesPerSecond.ToString("N0"));
            Row("", "last release after due (s)", [scheduler, quartz, firing], m => m.LastAfterFirstDue.TotalSeconds.ToString("F2"));
            Row("", "released / released twice", [scheduler, quartz, firing], m => $"{m.Released:N0} / {m.Repeated}");
        }
    }

    private static string Describe(Workload workload) => workload.Spread == TimeSpan.Zero
        ? $"({workload.Name}) {workload.Count:N0} due at once"
        : $"({workload.Name}) {workload.Count:N0} over {workload.Spread.TotalSeconds:F0} s";

    private static void Row(string workload, string figure, Measurement[] runs, Func<Measurement, string> value) =>
        Console.WriteLine($"{workload,-30} {figure,-27} {value(runs[0]),12} {value(runs[1]),18} {value(runs[2]),20}");
}
