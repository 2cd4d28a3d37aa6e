namespace AppHost.Tests;

/// <summary>Linux processes as /proc shows them: parents, names, whether they still run.</summary>
public static class ProcessTree
{
    /// <summary>Every process whose chain of parents leads to <paramref name="root"/>.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = AllProcesses().Select(Stat).OfType<ProcessStat>().ToList();
        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(stat => stat.ParentId == parent))
            {
                found.Add(child.Id);
                frontier.Enqueue(child.Id);
            }
        }
        return found;
    }

    /// <summary>
    /// Every process an AppHost run started: its own tree, and the tree of the DCP it launched, which detaches (its
    /// parent is init) and watches the AppHost's pid (<c>--monitor</c>); the services and servers are DCP's children.
    /// </summary>
    public static IReadOnlyList<int> StartedBy(int runCommand)
    {
        var own = Descendants(runCommand);
        var appHosts = own.Where(pid => Name(pid) == "AppHost").Select(pid => pid.ToString()).ToHashSet();
        var dcp = AllProcesses().Where(pid => MonitoredPid(CommandLine(pid)) is { } monitored && appHosts.Contains(monitored));
        return [.. own, .. dcp.SelectMany(pid => Descendants(pid).Prepend(pid))];
    }

    /// <summary>False once the process is gone or a zombie (exited; a zombie only waits for its parent to notice).</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };

    public static string? Name(int pid) => Stat(pid)?.Name;

    public static int? ParentId(int pid) => Stat(pid)?.ParentId;

    private static IEnumerable<int> AllProcesses() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(name => int.TryParse(name, out var pid) ? pid : 0).Where(pid => pid > 0);

    private static string? MonitoredPid(string[] commandLine) =>
        Array.IndexOf(commandLine, "--monitor") is var at and >= 0 && at + 1 < commandLine.Length ? commandLine[at + 1] : null;

    private static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private sealed record ProcessStat(int Id, string Name, char State, int ParentId);

    /// <summary>/proc/pid/stat is "pid (name) state ppid ..."; the name may hold spaces and parentheses, so it is cut at the last ')'.</summary>
    private static ProcessStat? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var nameEnd = stat.LastIndexOf(')');
            var name = stat[(stat.IndexOf('(') + 1)..nameEnd];
            var fields = stat[(nameEnd + 2)..].Split(' ');
            return new ProcessStat(pid, name, fields[0][0], int.Parse(fields[1]));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
