using System.Diagnostics;
using System.Globalization;

/// <summary>What a pixel load run measured.</summary>
public sealed record PixelLoadResult(long Requests, long Errors, double Seconds, double P50Ms, double P99Ms);

/// <summary>
/// wrk (C, epoll, one thread, keep-alive connections) cycling through the given paths: little CPU of its own, so the
/// two cores stay with the pipeline it measures.
/// </summary>
public static class PixelLoad
{
    private const string Script = """
        local paths = {}
        for line in io.lines(os.getenv("PIXEL_PATHS")) do paths[#paths + 1] = line end
        local i = 0
        request = function()
          i = i % #paths + 1
          return wrk.format("GET", paths[i])
        end
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("BENCH requests=%d duration_us=%d errors=%d p50=%d p99=%d\n", summary.requests, summary.duration,
            e.status + e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99)))
        end
        """;

    public static async Task<PixelLoadResult> RunAsync(Uri baseAddress, IReadOnlyList<string> paths, int concurrency, TimeSpan duration)
    {
        var directory = Directory.CreateTempSubdirectory("emailbench-");
        try
        {
            var script = Path.Combine(directory.FullName, "pixel.lua");
            var list = Path.Combine(directory.FullName, "paths.txt");
            await File.WriteAllTextAsync(script, Script);
            await File.WriteAllLinesAsync(list, paths);
            var start = new ProcessStartInfo("wrk",
                ["-t1", $"-c{concurrency}", $"-d{(int)duration.TotalSeconds}s", "--timeout", "10s", "--latency", "-s", script, baseAddress.ToString()])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["PIXEL_PATHS"] = list },
            };
            using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install -y wrk).");
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk printed no result: {output}{await wrk.StandardError.ReadToEndAsync()}");
            var values = line[6..].Split(' ').Select(pair => pair.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
            return new PixelLoadResult((long)values["requests"], (long)values["errors"], values["duration_us"] / 1e6, values["p50"] / 1000, values["p99"] / 1000);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
