using System.Diagnostics;
using System.Globalization;

namespace PipelineBench;

/// <summary>
/// CPU time used during a measurement window, per process, read from /proc (Linux): each service process, all
/// PostgreSQL server processes together, the busiest other processes, this bench process split into the embedded Kafka broker's threads and the
/// rest, this bench's finished child processes (wrk) and the whole machine. Figures are percent of one core, so the
/// 2-core machine tops out at 200 %.
/// </summary>
public sealed class CpuWatch
{
    private static readonly double TicksPerSecond = 100; // USER_HZ; 100 on every Linux x86-64 kernel
    private readonly IReadOnlyDictionary<string, int> _processes;
    private readonly Snapshot _start;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    private CpuWatch(IReadOnlyDictionary<string, int> processes)
    {
        _processes = processes;
        _start = Take();
    }

    /// <summary>Starts a window over the named processes (name → pid).</summary>
    public static CpuWatch Start(IReadOnlyDictionary<string, int> processes) => new(processes);

    public CpuUsage Stop()
    {
        var end = Take();
        var seconds = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        double Percent(long ticks) => ticks / TicksPerSecond / seconds * 100;

        var perProcess = new Dictionary<string, double>();
        foreach (var (name, ticks) in end.Processes)
        {
            perProcess[name] = Percent(ticks - _start.Processes.GetValueOrDefault(name));
        }
        // Per pid: CPU used in the window (a pid that appeared during it counts from zero).
        var used = end.All.ToDictionary(p => p.Key, p => (p.Value.Comm, Ticks: p.Value.Ticks - (_start.All.TryGetValue(p.Key, out var s) ? s.Ticks : 0)));
        var postgres = used.Values.Where(p => p.Comm == "postgres").Sum(p => p.Ticks);
        var ours = _processes.Values.Append(Environment.ProcessId).ToHashSet();
        var topOthers = used.Where(p => !ours.Contains(p.Key) && p.Value.Comm != "postgres" && p.Value.Ticks > 0)
            .OrderByDescending(p => p.Value.Ticks).Take(4)
            .Select(p => $"{Name(p.Key, p.Value.Comm)} {Percent(p.Value.Ticks):0}%");
        var broker = end.BrokerThreads.Sum(t => t.Value - _start.BrokerThreads.GetValueOrDefault(t.Key));
        var self = end.Self - _start.Self;
        var children = end.ReapedChildren - _start.ReapedChildren;
        var machineBusy = (end.MachineBusy - _start.MachineBusy) / (double)Math.Max(1, end.MachineTotal - _start.MachineTotal) * 100 * Environment.ProcessorCount;
        var oursPercent = perProcess.Values.Sum() + Percent(postgres) + Percent(self) + Percent(children);
        return new CpuUsage(
            perProcess,
            Postgres: Percent(postgres),
            Broker: Percent(broker),
            BenchOther: Percent(self - broker),
            Children: Percent(children),
            Machine: machineBusy,
            Others: Math.Max(0, machineBusy - oursPercent),
            TopOthers: string.Join(", ", topOthers),
            Seconds: seconds);
    }

    private Snapshot Take()
    {
        var processes = new Dictionary<string, long>();
        foreach (var (name, pid) in _processes)
        {
            if (ReadStat($"/proc/{pid}/stat") is { } stat)
            {
                processes[name] = stat.Ticks;
            }
        }

        var all = new Dictionary<int, (string Comm, long Ticks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ReadStat(Path.Combine(directory, "stat")) is { } stat)
            {
                all[pid] = (stat.Comm, stat.Ticks);
            }
        }

        // librdkafka names its threads "rdk:..."; the mock cluster's is "rdk:mock" (the bench's producer, when
        // there is one, adds rdk:main/rdk:broker threads, which are counted with the broker too).
        var brokerThreads = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories($"/proc/{Environment.ProcessId}/task"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var tid) && ReadStat(Path.Combine(directory, "stat")) is { } stat
                && stat.Comm.StartsWith("rdk:", StringComparison.Ordinal))
            {
                brokerThreads[tid] = stat.Ticks;
            }
        }

        var self = ReadStat($"/proc/{Environment.ProcessId}/stat")!;
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        var total = cpu.Take(8).Sum();
        var idle = cpu[3] + cpu[4];
        return new Snapshot(processes, all, brokerThreads, self.Ticks, self.ChildTicks, total - idle, total);
    }

    /// <summary>"comm(pid)", for dotnet hosts with the program they run ("dotnet MSBuild.dll(123)").</summary>
    private static string Name(int pid, string comm)
    {
        if (comm == "dotnet")
        {
            try
            {
                var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (args.Skip(1).FirstOrDefault(a => !a.StartsWith('-')) is { } program)
                {
                    comm = $"dotnet {Path.GetFileName(program)}";
                }
            }
            catch (IOException)
            {
                comm = "dotnet (exited)";
            }
        }
        return $"{comm}({pid})";
    }

    private static Stat? ReadStat(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var open = text.IndexOf('(');
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }
        var comm = text[(open + 1)..close];
        // Fields after the comm start at field 3 (state); utime, stime, cutime, cstime are fields 14 to 17.
        var fields = text[(close + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new Stat(comm, Field(14) + Field(15), Field(16) + Field(17));
    }

    private sealed record Stat(string Comm, long Ticks, long ChildTicks);

    private sealed record Snapshot(
        Dictionary<string, long> Processes,
        Dictionary<int, (string Comm, long Ticks)> All,
        Dictionary<int, long> BrokerThreads,
        long Self,
        long ReapedChildren,
        long MachineBusy,
        long MachineTotal);
}

/// <summary>Percent of one core per consumer over a window.</summary>
public sealed record CpuUsage(
    IReadOnlyDictionary<string, double> Processes,
    double Postgres,
    double Broker,
    double BenchOther,
    double Children,
    double Machine,
    double Others,
    string TopOthers,
    double Seconds)
{
    public double Of(string process) => Processes.GetValueOrDefault(process);
}
