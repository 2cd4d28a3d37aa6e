using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Scheduler.Tests;

/// <summary>The built Scheduler (Scheduler/bin/{Configuration}/net10.0/Scheduler.dll) as a process of its own, so a test can kill it as a crash would.</summary>
public sealed class SchedulerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SchedulerProcess(Process process) => _process = process;

    /// <summary>Starts the Scheduler with <paramref name="settings"/> (configuration keys) as environment variables.</summary>
    public static SchedulerProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var assembly = Path.Combine(SolutionDirectory(), "Scheduler", "bin", BuildConfiguration(), "net10.0", "Scheduler.dll");
        // DOTNET_HOST_PATH is the dotnet executable running the tests.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { assembly },
            WorkingDirectory = Path.GetDirectoryName(assembly),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";

        start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";

        var scheduler = new SchedulerProcess(new Process { StartInfo = start });
        scheduler._process.OutputDataReceived += (_, line) => scheduler.Append(line.Data);
        scheduler._process.ErrorDataReceived += (_, line) => scheduler.Append(line.Data);
        scheduler._process.Start();
        scheduler._process.BeginOutputReadLine();
        scheduler._process.BeginErrorReadLine();
        return scheduler;
    }

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs, as in a crash.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string SolutionDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tasks.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Tasks.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The configuration the tests were built in (Debug or Release); the Scheduler was built in the same.</summary>
    private static string BuildConfiguration() =>
        typeof(SchedulerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
