using System.Diagnostics;

namespace AppHost.Running;

/// <summary>How to start one process of a resource.</summary>
/// <param name="Name">The name in front of its log lines.</param>
public sealed record ProcessSpec(string Name, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Set on top of the AppHost's own environment, which it inherits (as under Aspire).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? WorkingDirectory { get; init; }

    /// <summary>The OS user to run as; null: the AppHost's. PostgreSQL refuses to run as root.</summary>
    public string? UserName { get; init; }
}

/// <summary>A process the AppHost started; its output lines go to the console with its name in front.</summary>
public sealed class ChildProcess
{
    private readonly Process _process;

    private ChildProcess(Process process)
    {
        _process = process;
        Exited = WaitForExitCodeAsync(process);
    }

    public int Id => _process.Id;

    /// <summary>Completes with the exit code when the process has exited (128 + n when signal n ended it).</summary>
    public Task<int> Exited { get; }

    public static ChildProcess Start(ProcessSpec spec, ConsoleLog log)
    {
        // Through setsid, in a session of its own: a terminal's Ctrl+C then reaches only the AppHost, which stops
        // its children in order (services before the databases they use). setsid execs in place, so the pid stays.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory ?? "",
            UserName = spec.UserName,
        };
        start.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in spec.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process);

        void WriteLine(string? line)
        {
            if (line is not null)
            {
                log.Write(spec.Name, line);
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> so the process shuts down in its own orderly way, and kills it with everything
    /// it started if it has not exited after <paramref name="grace"/> or once <paramref name="stopNow"/> is cancelled.
    /// </summary>
    public async Task StopAsync(int signal, TimeSpan grace, CancellationToken stopNow)
    {
        if (Exited.IsCompleted)
        {
            return;
        }
        Posix.SendSignal(Id, signal);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(stopNow);
        giveUp.CancelAfter(grace);
        try
        {
            await Exited.WaitAsync(giveUp.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await Exited;
        }
    }

    private static async Task<int> WaitForExitCodeAsync(Process process)
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
