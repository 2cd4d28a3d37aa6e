using System.Diagnostics;
using Npgsql;

namespace PipelineBench;

/// <summary>
/// Part 2: N valid messages produced to tasks.requests by a plain Confluent producer; the time until all N rows are in
/// the database (polled with count(*) every 100 ms). Then, optionally, until all N have run (end to end).
/// </summary>
public static class IntakePart
{
    private const string Part = "2 Kafka intake";

    public static async Task RunAsync(BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        var worker = options.WithoutWorker ? null : WorkerSetup.Short(options.ShortMaxInFlight);
        var count = options.IntakeMessages;
        Report.Log($"intake: starting the pipeline ({worker?.ToString() ?? "TaskApi only, no worker"}), " +
            $"tasks.requests/.work/.status with {options.Partitions} partitions");
        await using var pipeline = await BenchPipeline.StartAsync(options, worker);
        await using var db = await pipeline.OpenAsync();
        using var producer = KafkaSubmit.Producer(pipeline.Kafka.BootstrapServers);
        report.Note($"intake: {worker?.ToString() ?? "no worker running (--no-worker); the outbox relay still publishes"}; " +
            $"tasks.requests has {options.Partitions} partitions (the embedded broker keeps only 100,000 message sets / 5 MB per partition).");

        // Warm-up: the intake consumer's group join takes ~3 s, and the first batches JIT the code paths. A smoke run measures
        // nothing, so a tenth of it there (which still waits for the group join and runs the same path).
        var warmupCount = options.Smoke ? 100 : 1000;
        Report.Log($"intake: warm-up, {warmupCount} messages (not measured)");
        await KafkaSubmit.ProduceAsync(producer, warmupCount, "warm ", cancellationToken);
        if (!await WaitStoredAsync(db, warmupCount, TimeSpan.FromSeconds(60), null, cancellationToken))
        {
            throw new TimeoutException("The warm-up messages were not stored within 60 s.");
        }
        if (worker is not null && !await BenchPipeline.WaitAllTerminalAsync(db, warmupCount, TimeSpan.FromSeconds(60), cancellationToken))
        {
            report.Note("intake: the warm-up tasks did not all finish within 60 s.");
        }

        Report.Log($"intake: producing {count:N0} messages");
        var cpu = CpuWatch.Start(pipeline.Pids);
        var clock = Stopwatch.StartNew();
        var produce = KafkaSubmit.ProduceAsync(producer, count, "intake ", cancellationToken);
        var timeout = TimeSpan.FromSeconds(Math.Max(60, count / 500));
        var stored = await WaitStoredAsync(db, warmupCount + count, timeout, clock, cancellationToken);
        var storedSeconds = clock.Elapsed.TotalSeconds;
        var usage = cpu.Stop();
        var produceSeconds = await produce;

        var rate = count / storedSeconds;
        var (firstCreated, lastCreated) = await CreatedSpanAsync(db);
        Report.Log($"intake: produced in {produceSeconds:0.00} s; " + (stored
            ? $"all {count:N0} stored after {storedSeconds:0.00} s = {rate:N0} messages/s"
            : $"NOT all stored within {timeout.TotalSeconds:0} s"));
        report.Figure(Part, $"{count:N0} messages produced (acked by the broker)", $"{produceSeconds:0.00} s = {count / produceSeconds:N0}/s");
        report.Figure(Part, $"{count:N0} messages → rows stored", stored ? $"{storedSeconds:0.00} s = {rate:N0} messages/s" : $"NOT done in {timeout.TotalSeconds:0} s",
            "≥ 20,000/s", stored && rate >= 20_000);
        report.Figure(Part, "first → last intake row created_at (TaskApi's batch clock)", $"{(lastCreated - firstCreated).TotalSeconds:0.00} s");
        report.Figure(Part, "CPU ms per message until stored (incl. downstream work done meanwhile)", CpuPerTask.Of(usage, count).ToString());
        report.Cpu($"intake {count:N0}", usage);

        if (stored && worker is not null && options.IntakeDrain)
        {
            Report.Log($"intake: waiting for all {count:N0} tasks to run (end to end: relay → worker → status updates)");
            var drainCpu = CpuWatch.Start(pipeline.Pids);
            var drained = await WaitTerminalAsync(db, warmupCount + count, TimeSpan.FromSeconds(Math.Max(60, count / 250)), clock, cancellationToken);
            var drainUsage = drainCpu.Stop();
            var total = clock.Elapsed.TotalSeconds;
            report.Figure(Part, $"{count:N0} tasks from first message to all success|error",
                drained ? $"{total:0.0} s = {count / total:N0} tasks/s end to end" : $"NOT done in {total:0} s");
            report.Figure(Part, "last message acknowledged → all success|error",
                drained ? $"{total - produceSeconds:0.0} s" : "not done", "≤ 30 s", drained && total - produceSeconds <= 30);
            report.Figure(Part, "CPU ms per task after stored, until all finished", CpuPerTask.Of(drainUsage, count).ToString());
            report.Cpu($"intake: rest of the run after stored", drainUsage);
        }
        report.Note($"intake service logs: {string.Join(", ", pipeline.LogFiles)}");
    }

    private static async Task<bool> WaitStoredAsync(NpgsqlConnection db, long expected, TimeSpan timeout, Stopwatch? progress, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var lastPrint = TimeSpan.Zero;
        long lastCount = 0;
        while (DateTime.UtcNow < deadline)
        {
            var (all, _) = await BenchPipeline.CountAsync(db);
            if (progress is not null && progress.Elapsed - lastPrint >= TimeSpan.FromSeconds(1))
            {
                Report.Log($"  stored {all:N0} (+{(all - lastCount) / (progress.Elapsed - lastPrint).TotalSeconds:N0}/s)");
                lastPrint = progress.Elapsed;
                lastCount = all;
            }
            if (all >= expected)
            {
                return true;
            }
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }

    private static async Task<bool> WaitTerminalAsync(NpgsqlConnection db, long expected, TimeSpan timeout, Stopwatch progress, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var lastPrint = progress.Elapsed;
        while (DateTime.UtcNow < deadline)
        {
            var (all, terminal) = await BenchPipeline.CountAsync(db);
            if (progress.Elapsed - lastPrint >= TimeSpan.FromSeconds(2))
            {
                // Where the backlog is: not yet published by the outbox relay, published but not started, started.
                await using var command = new NpgsqlCommand(
                    "SELECT (SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL), (SELECT count(started_at) FROM tasks)", db);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                Report.Log($"  {terminal:N0} of {all:N0} finished; {reader.GetInt64(1):N0} started; outbox: {reader.GetInt64(0):N0} not yet published");
                lastPrint = progress.Elapsed;
            }
            if (all >= expected && terminal == all)
            {
                return true;
            }
            await Task.Delay(250, cancellationToken);
        }
        return false;
    }

    private static async Task<(DateTime First, DateTime Last)> CreatedSpanAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand("SELECT min(created_at), max(created_at) FROM tasks WHERE name LIKE 'intake %'", db);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.IsDBNull(0) ? (default, default) : (reader.GetDateTime(0), reader.GetDateTime(1));
    }
}
