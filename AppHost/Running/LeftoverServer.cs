namespace AppHost.Running;

/// <summary>
/// A server that an earlier AppHost started in the same data folder and could not stop because it was killed
/// itself. Found through the pid file the server keeps in its data folder, and stopped before a new one starts
/// there (two servers must not write the same files).
/// </summary>
public static class LeftoverServer
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    public static async Task StopAsync(string pidFile, string processName, int signal, ConsoleLog log)
    {
        var folder = Path.GetDirectoryName(pidFile)!;
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) || !IsServerIn(pid, processName, folder))
        {
            // No file, or a stale one: that process is gone, or the number belongs to another process now.
            return;
        }
        log.Info($"stopping {processName} (pid {pid}), left running in {folder} by an earlier AppHost");
        Posix.SendSignal(pid, signal);
        using var giveUp = new CancellationTokenSource(Grace);
        while (IsServerIn(pid, processName, folder))
        {
            if (giveUp.IsCancellationRequested)
            {
                throw new AppHostException($"{processName} (pid {pid}) in {folder} did not stop: kill it and start again");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>PostgreSQL and Redis both change into their data folder, so the working directory tells this folder's server from any other.</summary>
    private static bool IsServerIn(int pid, string processName, string folder)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n') == processName
                && new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget == Path.TrimEndingDirectorySeparator(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
