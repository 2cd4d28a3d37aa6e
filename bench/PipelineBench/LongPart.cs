using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace PipelineBench;

/// <summary>
/// Part 3: N tasks with the default emulated work of 5-10 s (<see cref="BenchOptions.LongRun"/>), the worker allowed at
/// least N in flight; the time from the last submission until all N are success or error in the database.
/// </summary>
public static class LongPart
{
    private const string Part = "3 long tasks";
    private const string NamePrefix = "long ";

    public static async Task RunAsync(BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        var count = options.LongTasks;
        var worker = new WorkerSetup(options.LongRun.Min, options.LongRun.Max, options.LongMaxInFlight);
        Report.Log($"long: starting the pipeline ({worker})");
        await using var pipeline = await BenchPipeline.StartAsync(options, worker);
        await using var db = await pipeline.OpenAsync();
        using var producer = KafkaSubmit.Producer(pipeline.Kafka.BootstrapServers);
        using var http = pipeline.CreateApiClient(connections: 64);
        var viaKafka = options.LongSubmit == "kafka";
        report.Note($"long: {worker}; tasks submitted via " + (viaKafka
            ? "Kafka intake (one plain Confluent producer, acks=all; 'last submission' = the broker acknowledged the last message)"
            : "REST (64 concurrent POSTs; 'last submission' = the last 201 answer)"));

        // Warm-up: one task through the same path, until the worker reported it in_progress, so every consumer group
        // (intake, worker, status) has joined before the clock starts. It finishes in the background and is not counted.
        Report.Log("long: warm-up, one task until it is in progress (consumer groups joined)");
        await SubmitAsync(viaKafka, producer, http, 1, "warm ", cancellationToken);
        if (!await WaitAsync(async () => await ScalarAsync(db, "SELECT count(*) FROM tasks WHERE name LIKE 'warm %' AND status <> 'new'") == 1,
            TimeSpan.FromSeconds(60), cancellationToken))
        {
            throw new TimeoutException("The warm-up task did not start within 60 s.");
        }

        Report.Log($"long: submitting {count:N0} tasks via {options.LongSubmit}");
        var cpu = CpuWatch.Start(pipeline.Pids);
        var clock = Stopwatch.StartNew();
        var submittedAt = DateTime.UtcNow;
        var submitSeconds = await SubmitAsync(viaKafka, producer, http, count, NamePrefix, cancellationToken);
        var lastSubmission = clock.Elapsed;
        var lastSubmittedAt = DateTime.UtcNow;
        Report.Log($"long: last submission after {submitSeconds:0.00} s");

        var timeout = TimeSpan.FromSeconds(120);
        var lastPrint = TimeSpan.Zero;
        var done = false;
        while (clock.Elapsed - lastSubmission < timeout)
        {
            var (all, terminal, started) = await CountsAsync(db);
            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(2))
            {
                Report.Log($"  {all:N0} stored, {started:N0} started, {terminal:N0} finished");
                lastPrint = clock.Elapsed;
            }
            if (all == count && terminal == count)
            {
                done = true;
                break;
            }
            await Task.Delay(100, cancellationToken);
        }
        var afterLast = clock.Elapsed - lastSubmission;
        var usage = cpu.Stop();
        var stats = await StatsAsync(db);

        report.Figure(Part, $"{count:N0} tasks submitted ({options.LongSubmit})", $"{submitSeconds:0.00} s");
        report.Figure(Part, "last submission → all success|error", done ? $"{afterLast.TotalSeconds:0.0} s" : $"NOT done in {timeout.TotalSeconds:0} s",
            "≤ 12 s", done && afterLast.TotalSeconds <= 12);
        report.Figure(Part, "first submission → all success|error", done ? $"{clock.Elapsed.TotalSeconds:0.0} s" : "-");
        report.Figure(Part, "outcome", $"{stats.Success:N0} success, {stats.Error:N0} error, {count - stats.Success - stats.Error:N0} unfinished");
        report.Figure(Part, "last submission → last task started (worker clock)", $"{(stats.LastStarted - lastSubmittedAt).TotalSeconds:0.0} s");
        report.Figure(Part, "pickup: created_at → started_at p50 / p99 / max", $"{stats.PickupP50:0.00} / {stats.PickupP99:0.00} / {stats.PickupMax:0.00} s");
        report.Figure(Part, "run: started_at → finished_at min / max", $"{stats.RunMin:0.00} / {stats.RunMax:0.00} s (emulated {options.LongRunText})");
        report.Figure(Part, "last finished_at (worker clock) → seen in DB by the bench",
            done ? $"{(submittedAt + clock.Elapsed - stats.LastFinished).TotalSeconds:0.00} s (includes ≤ 0.1 s polling)" : "-");
        report.Cpu($"long {count:N0}", usage);
        report.Note($"long service logs: {string.Join(", ", pipeline.LogFiles)}");
    }

    private static async Task<double> SubmitAsync(bool viaKafka, Confluent.Kafka.IProducer<byte[]?, byte[]> producer, HttpClient http, int count,
        string namePrefix, CancellationToken cancellationToken)
    {
        return viaKafka
            ? await KafkaSubmit.ProduceAsync(producer, count, namePrefix, cancellationToken)
            : await PostAllAsync(http, count, namePrefix, cancellationToken);
    }

    /// <summary>POSTs <paramref name="count"/> tasks over 64 connections; returns the seconds until the last was answered.</summary>
    public static async Task<double> PostAllAsync(HttpClient http, int count, string namePrefix, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(64, count)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var content = new StringContent($$$"""{"name":"{{{namePrefix}}}{{{i}}}","payload":{"i":{{{i}}}}}""", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/tasks", content, cancellationToken);
                response.EnsureSuccessStatusCode();
            }
        }, cancellationToken)));
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(long All, long Terminal, long Started)> CountsAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT count(*), count(*) FILTER (WHERE status IN ('success', 'error')), count(started_at) FROM tasks WHERE name LIKE '{NamePrefix}%'", db);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private sealed record Stats(long Success, long Error, double PickupP50, double PickupP99, double PickupMax, double RunMin, double RunMax,
        DateTime LastStarted, DateTime LastFinished);

    private static async Task<Stats> StatsAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT count(*) FILTER (WHERE status = 'success'),
                   count(*) FILTER (WHERE status = 'error'),
                   coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)), 0),
                   coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)), 0),
                   coalesce(max(extract(epoch FROM started_at - created_at))::float8, 0),
                   coalesce(min(extract(epoch FROM finished_at - started_at))::float8, 0),
                   coalesce(max(extract(epoch FROM finished_at - started_at))::float8, 0),
                   coalesce(max(started_at), now()),
                   coalesce(max(finished_at), now())
            FROM tasks WHERE name LIKE '{NamePrefix}%'
            """, db);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Stats(reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
            reader.GetDouble(5), reader.GetDouble(6), reader.GetDateTime(7), reader.GetDateTime(8));
    }
}
