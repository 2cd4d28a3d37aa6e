using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Tasks.Testing;

/// <summary>
/// One of the solution's services as a real child process (<c>dotnet Service.dll</c>), for tests that kill
/// processes. It listens on a free loopback port; its output is kept for failure messages.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string project, IReadOnlyDictionary<string, string> environment)
    {
        // A project folder of the solution ("TaskApi", "bench/HangfirePeer"), named as its assembly.
        var name = Path.GetFileName(project);
        var assembly = Path.Combine(SolutionLayout.Directory, project, "bin", SolutionLayout.Configuration, "net10.0", name + ".dll");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        Name = name;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {project}.");
        var logs = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "service-logs"));
        LogFile = Path.Combine(logs.FullName, $"{name}-{_process.Id}.log");
        _log = new StreamWriter(LogFile) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary>The process id of the service itself (it runs as <c>dotnet Service.dll</c>, not under a launcher), for reading its CPU time.</summary>
    public int Pid => _process.Id;

    /// <summary>Everything the process wrote, kept after the test for diagnosis.</summary>
    public string LogFile { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote, for assertion messages.</summary>
    public string RecentOutput => $"(full log: {LogFile}){Environment.NewLine}{string.Join(Environment.NewLine, _output.TakeLast(40))}";

    /// <summary>Starts <paramref name="project"/> and returns once its /health answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string project, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var service = new ServiceProcess(project, environment);
        try
        {
            await service.WaitHealthyAsync(timeout);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public Uri BaseAddress => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result : throw new InvalidOperationException($"{Name} is not listening.");

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>A client that sends <paramref name="bearerToken"/> with every request (TaskApi needs one on every route).</summary>
    public HttpClient CreateClient(string bearerToken) =>
        new() { BaseAddress = BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", bearerToken) } };

    /// <summary>kill -9: no shutdown code runs, as in a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var exited = _process.WaitForExitAsync(cancel.Token);
        if (await Task.WhenAny(_listening.Task, exited) != _listening.Task)
        {
            throw new InvalidOperationException($"{Name} exited or did not listen within {timeout}:{Environment.NewLine}{RecentOutput}");
        }
        using var client = CreateClient();
        await Eventually.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited:{Environment.NewLine}{RecentOutput}");
            }
            try
            {
                return (await client.GetAsync("/health", cancel.Token)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, timeout, $"{Name} to be healthy; last output:{Environment.NewLine}{RecentOutput}");
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        lock (_log)
        {
            _log.WriteLine(line);
        }
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
        if (ListeningOn().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningOn();
}
