using System.Diagnostics;

namespace AppHost.Running;

/// <summary>How a process is asked to stop and how long it gets.</summary>
public sealed record StopPolicy(int Signal, TimeSpan Grace);

/// <summary>
/// Keeps one process of a resource running: once the resource is up (<see cref="Supervise"/>), an exit that nobody
/// asked for is reported in one line and answered with a restart after a backoff that doubles with each quick
/// failure (1 s up to 30 s), so a process that crashes at once does not spin.
/// </summary>
public sealed class SupervisedProcess(ProcessSpec spec, StopPolicy stopPolicy, ConsoleLog log)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>A process that ran at least this long before exiting is restarted after the first backoff again.</summary>
    private static readonly TimeSpan StableRun = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _supervision = Task.CompletedTask;

    public string Name => spec.Name;

    public ChildProcess Current { get; private set; } = null!;

    public void Start() => Current = ChildProcess.Start(spec, log);

    /// <summary>From now on, restarts the process whenever it exits before <see cref="StopAsync"/>.</summary>
    public void Supervise() => _supervision = SuperviseAsync();

    public async Task StopAsync(CancellationToken stopNow)
    {
        ChildProcess process;
        lock (_gate)
        {
            _stopping.Cancel();
            process = Current;
        }
        await process.StopAsync(stopPolicy.Signal, stopPolicy.Grace, stopNow);
        await _supervision;
    }

    private async Task SuperviseAsync()
    {
        var backoff = FirstBackoff;
        while (true)
        {
            var running = Stopwatch.StartNew();
            var exitCode = await Current.Exited;
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            backoff = running.Elapsed >= StableRun ? FirstBackoff : backoff;
            try
            {
                await Task.Delay(backoff, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            lock (_gate)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                Current = ChildProcess.Start(spec, log);
            }
            log.Info($"{Name} exited unexpectedly (exit code {exitCode}); restarted after {backoff.TotalSeconds:0} s as pid {Current.Id}");
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }
}
