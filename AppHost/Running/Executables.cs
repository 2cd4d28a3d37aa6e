using System.Diagnostics;

namespace AppHost.Running;

/// <summary>Finds the programs the private servers need and runs small helper commands.</summary>
public static class Executables
{
    /// <summary>Debian installs the PostgreSQL server programs here, one folder per major version, not on PATH.</summary>
    private const string DebianPostgresRoot = "/usr/lib/postgresql";

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    public static string Require(string name, string fix) =>
        FindOnPath(name) ?? throw new AppHostException($"{name} not found: {fix}");

    /// <summary>
    /// The folder that holds <paramref name="programs"/> of one PostgreSQL installation: on PATH, else the newest
    /// of Debian's versioned folders.
    /// </summary>
    public static string RequirePostgresBinaries(string fix, params string[] programs)
    {
        var pathDirectories = programs.Select(program => Path.GetDirectoryName(FindOnPath(program))).Distinct().ToList();
        if (pathDirectories is [{ } onPath])
        {
            return onPath;
        }
        var versioned = Directory.Exists(DebianPostgresRoot)
            ? Directory.GetDirectories(DebianPostgresRoot)
                .Where(version => int.TryParse(Path.GetFileName(version), out _))
                .OrderByDescending(version => int.Parse(Path.GetFileName(version)))
                .Select(version => Path.Combine(version, "bin"))
            : [];
        return versioned.FirstOrDefault(bin => programs.All(program => File.Exists(Path.Combine(bin, program))))
            ?? throw new AppHostException($"{programs[0]} not found: {fix}");
    }

    /// <summary>Runs a short command to its end; its output is not shown.</summary>
    public static async Task<int> RunAsync(string fileName, IEnumerable<string> arguments, string? userName = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UserName = userName,
        };
        using var process = Process.Start(start)!;
        await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync(), process.WaitForExitAsync());
        return process.ExitCode;
    }
}
