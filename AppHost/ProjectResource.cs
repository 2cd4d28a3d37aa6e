using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AppHost;

/// <summary>One of the solution's services, run as a child process from its build output.</summary>
public sealed class ProjectResource(string name, string projectName, IReadOnlyDictionary<string, string> environment)
{
    private static readonly string SolutionDirectory = Path.GetFullPath(Metadata("SolutionDirectory"));
    private static readonly string Configuration = Metadata("Configuration");

    public string Name { get; } = name;
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    public Process Start()
    {
        var assembly = Path.Combine(SolutionDirectory, projectName, "bin", Configuration, "net10.0", projectName + ".dll");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Name}.");
        process.OutputDataReceived += (_, line) => Write(line.Data);
        process.ErrorDataReceived += (_, line) => Write(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Asks the process to stop (SIGTERM, so it shuts down gracefully) and kills it if it has not within the grace period.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }
        _ = SendSignal(process.Id, Sigterm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private const int Sigterm = 15;

    // .NET has no API to send a signal other than SIGKILL to another process.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private void Write(string? line)
    {
        if (line is not null)
        {
            Console.Out.WriteLine($"[{Name}] {line}");
        }
    }

    private static string Metadata(string key) =>
        typeof(ProjectResource).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
