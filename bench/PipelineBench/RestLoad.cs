using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace PipelineBench;

/// <summary>What one REST load run measured. Latencies in milliseconds.</summary>
public sealed record LoadResult(long Succeeded, long Failed, double Seconds, double P50, double P90, double P99, double Max, double Mean)
{
    public double Rate => Succeeded / Seconds;
}

/// <summary>A closed-loop load generator: <c>concurrency</c> connections, each sending the next POST when the last is answered.</summary>
public interface IRestLoad
{
    string Description { get; }
    Task<LoadResult> RunAsync(LoadRequest request, int concurrency, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>wrk when <paramref name="options"/> say so, else the in-process generator.</summary>
    static IRestLoad Chosen(BenchOptions options) => options.LoadGenerator == "wrk" ? new WrkLoad() : new HttpLoad();
}

/// <summary>The POST every connection of a load sends again and again, with its <c>Authorization</c> header (none when null).</summary>
public sealed record LoadRequest(Uri Url, string Body, string ContentType, string? Authorization = null)
{
    private const string TaskJson = """{"name":"bench task","payload":{"width":640,"height":480,"tags":["bench"]}}""";

    /// <summary><c>POST /tasks</c> of one small task, with <paramref name="bearerToken"/> when the API needs one.</summary>
    public static LoadRequest CreateTask(Uri api, string? bearerToken) =>
        new(new Uri(api, "/tasks"), TaskJson, "application/json", bearerToken is null ? null : $"Bearer {bearerToken}");

    /// <summary>The request as <see cref="HttpClient"/> sends it.</summary>
    public HttpRequestMessage ToHttpRequest(byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url)
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", ContentType } } },
            Version = HttpVersion.Version11,
        };
        if (Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }
        return request;
    }

    /// <summary>
    /// Sends the request once and throws unless it succeeds, before a load: a load of refused requests (a token the
    /// service does not take, a wrong body) would print figures of nothing.
    /// </summary>
    public async Task EnsureAcceptedAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        using var request = ToHttpRequest(Encoding.UTF8.GetBytes(Body));
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {Url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>A token request (<c>application/x-www-form-urlencoded</c>, RFC 6749 §4) to the identity service.</summary>
    public static LoadRequest Token(Uri identity, IReadOnlyDictionary<string, string> form, string? authorization = null) =>
        new(new Uri(identity, "/connect/token"), string.Join('&', form.Select(field => $"{Uri.EscapeDataString(field.Key)}={Uri.EscapeDataString(field.Value)}")),
            "application/x-www-form-urlencoded", authorization);
}

/// <summary>wrk (C, epoll, one thread): little CPU of its own, so more of the 2 cores stay with the pipeline.</summary>
public sealed class WrkLoad : IRestLoad
{
    // The body and header values are JSON, form-encoded text, base64 and JWTs: none holds a quote or backslash to escape.
    private static string Script(LoadRequest request)
    {
        var authorization = request.Authorization is null ? "" : $"wrk.headers[\"Authorization\"] = \"{request.Authorization}\"";
        return $$"""
        wrk.method = "POST"
        wrk.body = '{{request.Body}}'
        wrk.headers["Content-Type"] = "{{request.ContentType}}"
        {{authorization}}
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("BENCH requests=%d duration_us=%d status=%d connect=%d read=%d write=%d timeout=%d p50=%d p90=%d p99=%d max=%d mean=%.1f\n",
            summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
            latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
        end
        """;
    }

    public string Description =>
        "wrk 4 (1 thread, closed loop, keep-alive connections; latency = request written to response read, " +
        "measured by wrk; non-2xx answers and socket errors counted as failed)";

    public static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "wrk")));

    public async Task<LoadResult> RunAsync(LoadRequest request, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), $"pipelinebench-{Environment.ProcessId}.lua");
        await File.WriteAllTextAsync(script, Script(request), cancellationToken);
        try
        {
            var start = new ProcessStartInfo("wrk",
            [
                "-t1", $"-c{concurrency}", $"-d{(int)duration.TotalSeconds}s", "--timeout", "10s", "--latency", "-s", script,
                request.Url.ToString(),
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var wrk = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
            var output = wrk.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = wrk.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(duration + TimeSpan.FromSeconds(30));
            try
            {
                await wrk.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                wrk.Kill();
                throw new TimeoutException("wrk did not finish in time.");
            }
            var text = await output;
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk printed no result (exit {wrk.ExitCode}): {text}{await errors}");
            var values = line[6..].Split(' ').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
            var failed = values["status"] + values["connect"] + values["read"] + values["write"] + values["timeout"];
            return new LoadResult(
                Succeeded: (long)(values["requests"] - values["status"]),
                Failed: (long)failed,
                Seconds: values["duration_us"] / 1e6,
                P50: values["p50"] / 1000, P90: values["p90"] / 1000, P99: values["p99"] / 1000,
                Max: values["max"] / 1000, Mean: values["mean"] / 1000);
        }
        finally
        {
            File.Delete(script);
        }
    }
}

/// <summary>
/// An in-process generator: one HttpClient (SocketsHttpHandler) with <c>concurrency</c> connections and as many loops.
/// It shares this process (and the 2 cores) with the embedded Kafka broker, and its latencies include its own
/// scheduling delays, so it reads somewhat worse than wrk.
/// </summary>
public sealed class HttpLoad : IRestLoad
{
    public string Description =>
        "in-process HttpClient (SocketsHttpHandler, one connection per loop, closed loop; latency = Stopwatch around " +
        "SendAsync + reading the body, in the bench process that also hosts the Kafka broker)";

    public async Task<LoadResult> RunAsync(LoadRequest load, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(load.Body);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<long>(16_384);
            long failed = 0;
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var request = load.ToHttpRequest(body);
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        latencies.Add(Stopwatch.GetTimestamp() - sent);
                    }
                    else
                    {
                        failed++;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    failed++;
                }
            }
            return (latencies, failed);
        }, cancellationToken)).ToList();
        var results = await Task.WhenAll(loops);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = results.SelectMany(r => r.latencies).Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p / 100 * all.Length) - 1)];
        return new LoadResult(all.Length, results.Sum(r => r.failed), seconds,
            Percentile(50), Percentile(90), Percentile(99), all.Length == 0 ? double.NaN : all[^1], all.Length == 0 ? double.NaN : all.Average());
    }
}
