using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The AppHost as a developer runs it: a real process, the README's <c>dotnet run --project AppHost</c> or the built
/// program itself, in a data folder of its own and with TaskApi on a free port, so it collides neither with other tests
/// nor with a developer's AppHost on 5080. Its output is kept for assertions and written to a log file for diagnosis.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    /// <summary>What the AppHost logs once every resource is up (StartupSummary).</summary>
    public const string UpMessage = "All resources are up; Ctrl+C stops everything";

    public const int SigTerm = 15;

    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Tasks that take a fraction of a second, and consumer groups that rebalance within seconds on the embedded broker.</summary>
    public static readonly string[] QuickPipelineArguments =
    [
        "--Worker:MinDelay=00:00:00.200",
        "--Worker:MaxDelay=00:00:00.500",
        "--Aspire:Confluent:Kafka:Consumer:intake:Config:session.timeout.ms=6000",
        "--Aspire:Confluent:Kafka:Consumer:status:Config:session.timeout.ms=6000",
        "--Aspire:Confluent:Kafka:Consumer:taskworker:Config:session.timeout.ms=6000",
    ];

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errorLines = [];
    private readonly StreamWriter _log;

    private AppHostProcess(Process process, string logFile)
    {
        _process = process;
        LogFile = logFile;
        _log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Record(e.Data, _lines);
        process.ErrorDataReceived += (_, e) => Record(e.Data, _errorLines);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Exited = WaitForExitCodeAsync(process);
    }

    public int Id => _process.Id;

    public Task<int> Exited { get; }

    public string LogFile { get; }

    public IReadOnlyList<string> Lines => Snapshot(_lines);

    public IReadOnlyList<string> ErrorLines => Snapshot(_errorLines);

    /// <summary>A data folder path that does not exist yet: the AppHost creates it, with permissions the postgres OS user can pass.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), $"apphost-tests-{Guid.NewGuid():N}");

    /// <summary>An http URL on loopback at a port nothing listens on now.</summary>
    public static string FreeUrl() => $"http://127.0.0.1:{FreePorts.Loopback()}";

    /// <summary><see cref="Run"/>, returned once every resource is up; stopped again when it never comes up.</summary>
    public static async Task<AppHostProcess> RunUntilUpAsync(IEnumerable<string> arguments)
    {
        var run = Run(arguments);
        try
        {
            await run.WaitUntilUpAsync();
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The README's run command, <c>dotnet run --project AppHost</c> (already built), with <paramref name="arguments"/>;
    /// its launch profile's fixed dashboard ports are replaced by free ones.
    /// </summary>
    public static AppHostProcess Run(IEnumerable<string> arguments) =>
        Start(DotnetHost, ["run", "--project", "AppHost", "--no-build", "--no-launch-profile", "--configuration", SolutionLayout.Configuration, "--", .. arguments],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = FreeUrl(),
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = FreeUrl(),
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["DOTNET_ENVIRONMENT"] = "Development",
            });

    /// <summary>
    /// The built AppHost program with <paramref name="arguments"/> and <paramref name="environment"/> on top of the
    /// test's environment, without any ConnectionStrings__* of the test's (so the embedded defaults apply).
    /// </summary>
    public static AppHostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(Path.Combine(SolutionLayout.Directory, "AppHost", "bin", SolutionLayout.Configuration, "net10.0", "AppHost"), arguments, environment);

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

    public Task WaitUntilUpAsync() => WaitForLineAsync(line => line.Contains(UpMessage, StringComparison.Ordinal), StartTimeout, "that every resource is up");

    /// <summary>The last lines the AppHost printed, for assertion messages.</summary>
    public string RecentOutput => $"(full log: {LogFile}){Environment.NewLine}{string.Join(Environment.NewLine, Lines.Concat(ErrorLines).TakeLast(60))}";

    public void SendSignal(int signal) => _ = Kill(Id, signal);

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

    private static AppHostProcess Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = SolutionLayout.Directory,
        };
        foreach (var inherited in start.Environment.Keys.Where(key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        // The AppHost program finds the .NET runtime here when a test hands it a PATH without the dotnet folder.
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetHost);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var logs = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "apphost-logs"));
        return new AppHostProcess(process, Path.Combine(logs.FullName, $"apphost-{process.Id}.log"));
    }

    /// <summary>A full path to dotnet (the link on PATH resolved), also for a test that hands the AppHost a PATH without it.</summary>
    private static string DotnetHost
    {
        get
        {
            var onPath = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet"
                ? Environment.ProcessPath!
                : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "dotnet")).First(File.Exists);
            return new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
        }
    }

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

    private void Record(string? line, List<string> into)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            into.Add(line);
            _log.WriteLine(line);
        }
    }

    private IReadOnlyList<string> Snapshot(List<string> lines)
    {
        lock (_lines)
        {
            return [.. lines];
        }
    }

    private static async Task<int> WaitForExitCodeAsync(Process process)
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    // Process.Kill only sends SIGKILL; the AppHost's orderly stop is what SIGTERM starts.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
