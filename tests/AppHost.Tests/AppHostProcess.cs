using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>One line of the resource table the AppHost prints once everything is up.</summary>
public sealed record ResourceRow(string Name, string State, int? Pid, string Endpoint);

/// <summary>
/// The AppHost as a developer runs it: a real process (<c>dotnet AppHost.dll</c>) with the embedded defaults, in a
/// data folder of its own and with TaskApi on a free port, so it collides neither with other tests nor with a
/// developer's AppHost on 5080. Its output is kept for assertions and written to a log file for diagnosis.
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    /// <summary>What the AppHost prints after the resource table (Orchestrator.UpMessage).</summary>
    public const string UpMessage = "all resources are up; Ctrl+C stops everything";

    public const int SigTerm = 15;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StreamWriter _log;
    private readonly Uri? _apiUrl;

    private AppHostProcess(Process process, string logFile, Uri? apiUrl)
    {
        _process = process;
        _apiUrl = apiUrl;
        LogFile = logFile;
        _log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Exited = WaitForExitCodeAsync(process);
    }

    public int Id => _process.Id;

    public Task<int> Exited { get; }

    public string LogFile { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The resource table, by resource name; read once <see cref="UpMessage"/> was printed.</summary>
    public IReadOnlyDictionary<string, ResourceRow> Resources => ParseTable(Lines);

    /// <summary>Where the first TaskApi instance listens (--api-url).</summary>
    public Uri ApiUrl => _apiUrl ?? throw new InvalidOperationException("Started without --api-url.");

    /// <summary>A data folder path that does not exist yet: the AppHost creates it, with permissions the postgres OS user can pass.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), $"apphost-tests-{Guid.NewGuid():N}");

    public static string FreeApiUrl() => $"http://127.0.0.1:{FreePort()}";

    /// <summary>
    /// Starts the AppHost with <paramref name="arguments"/> and <paramref name="environment"/> on top of the test's
    /// environment, without any ConnectionStrings__* of the test's (so the embedded defaults apply).
    /// </summary>
    public static AppHostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, Uri? apiUrl = null)
    {
        var start = new ProcessStartInfo(DotnetHost, [AppHostAssembly, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = SolutionDirectory,
        };
        foreach (var inherited in start.Environment.Keys.Where(key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var logs = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "apphost-logs"));
        return new AppHostProcess(process, Path.Combine(logs.FullName, $"apphost-{process.Id}.log"), apiUrl);
    }

    /// <summary>Starts the AppHost in <paramref name="dataDirectory"/> with quick tasks and returns once it printed its resource table.</summary>
    public static async Task<AppHostProcess> StartUpAsync(string dataDirectory, string apiUrl, params string[] arguments)
    {
        var appHost = Start(["--data-dir", dataDirectory, "--api-url", apiUrl, .. arguments], QuickPipeline, new Uri(apiUrl));
        try
        {
            await appHost.WaitForLineAsync(line => line.EndsWith(UpMessage, StringComparison.Ordinal), StartTimeout, "the resource table");
            return appHost;
        }
        catch
        {
            await appHost.DisposeAsync();
            throw;
        }
    }

    /// <summary>Returns the first line (from the start) that matches; fails when the AppHost exits or after <paramref name="timeout"/>.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what) =>
        WithOutputOnTimeoutAsync(() => Eventually.GetAsync(() =>
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return Task.FromResult<string?>(line);
            }
            if (Exited.IsCompleted)
            {
                throw new InvalidOperationException($"The AppHost exited with {Exited.Result} before printing {what}.{Environment.NewLine}{RecentOutput}");
            }
            return Task.FromResult<string?>(null);
        }, timeout, what));

    /// <summary>The last lines the AppHost printed, for assertion messages.</summary>
    public string RecentOutput => $"(full log: {LogFile}){Environment.NewLine}{string.Join(Environment.NewLine, Lines.TakeLast(60))}";

    public void SendSignal(int signal) => _ = Kill(Id, signal);

    /// <summary>Every process below the AppHost in the process tree: services, redis-server, postgres and its backends.</summary>
    public IReadOnlyList<int> Descendants() => ProcessTree.Descendants(Id);

    public HttpClient CreateClient() => new() { BaseAddress = ApiUrl };

    public async Task<Guid> CreateTaskAsync(string name)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/tasks", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Waits until the task is success or error (the worker fails some on purpose) and returns its status.</summary>
    public async Task<string> WaitFinishedAsync(Guid id, TimeSpan timeout)
    {
        using var client = CreateClient();
        return await WithOutputOnTimeoutAsync(() => Eventually.GetAsync(async () =>
        {
            var status = (await client.GetFromJsonAsync<JsonElement>($"/tasks/{id}")).GetProperty("status").GetString();
            return status is "success" or "error" ? status : null;
        }, timeout, $"task {id} to finish"));
    }

    /// <summary>Asks the AppHost to stop (SIGTERM) and waits; kills it and its tree if it has not stopped after 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Exited.IsCompleted)
        {
            SendSignal(SigTerm);
            if (await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(30))) != Exited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await Exited;
        }
        _process.Dispose();
        lock (_lines)
        {
            _log.Dispose();
        }
    }

    /// <summary>Tasks that take a fraction of a second, and consumer groups that rebalance within seconds on the embedded broker.</summary>
    private static readonly IReadOnlyDictionary<string, string> QuickPipeline = new Dictionary<string, string>
    {
        ["Worker__MinDelay"] = "00:00:00.200",
        ["Worker__MaxDelay"] = "00:00:00.500",
        ["Aspire__Confluent__Kafka__Consumer__intake__Config__session.timeout.ms"] = "6000",
        ["Aspire__Confluent__Kafka__Consumer__status__Config__session.timeout.ms"] = "6000",
        ["Aspire__Confluent__Kafka__Consumer__taskworker__Config__session.timeout.ms"] = "6000",
    };

    public static readonly string SolutionDirectory = FindSolutionDirectory();

    private static string AppHostAssembly
    {
        get
        {
            // The test assembly runs from bin/<Configuration>/net10.0; the AppHost was built in the same configuration.
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            return Path.Combine(SolutionDirectory, "AppHost", "bin", configuration, "net10.0", "AppHost.dll");
        }
    }

    /// <summary>A full path, so that a test can hand the AppHost a PATH without the dotnet folder.</summary>
    private static string DotnetHost =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet"
            ? Environment.ProcessPath!
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "dotnet")).First(File.Exists);

    private async Task<T> WithOutputOnTimeoutAsync<T>(Func<Task<T>> wait)
    {
        try
        {
            return await wait();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{RecentOutput}", e);
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
            _log.WriteLine(line);
        }
    }

    private static IReadOnlyDictionary<string, ResourceRow> ParseTable(IReadOnlyList<string> lines)
    {
        var header = lines.ToList().FindIndex(line => TableHeader().IsMatch(line));
        if (header < 0)
        {
            return new Dictionary<string, ResourceRow>();
        }
        return lines.Skip(header + 1)
            .Select(line => TableRow().Match(line))
            .TakeWhile(match => match.Success)
            .Select(match => new ResourceRow(
                match.Groups["name"].Value,
                match.Groups["state"].Value,
                int.TryParse(match.Groups["pid"].Value, out var pid) ? pid : null,
                match.Groups["endpoint"].Value))
            .ToDictionary(row => row.Name);
    }

    private static string FindSolutionDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tasks.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Tasks.sln not found above the test assembly.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<int> WaitForExitCodeAsync(Process process)
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    // Process.Kill only sends SIGKILL; the AppHost's orderly stop is what SIGTERM starts.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^\s+NAME\s+STATE\s+PID\s+ENDPOINT")]
    private static partial Regex TableHeader();

    [GeneratedRegex(@"^\s+(?<name>\S+)\s+(?<state>\S+)\s+(?<pid>\d+|-)\s+(?<endpoint>\S+)")]
    private static partial Regex TableRow();
}
