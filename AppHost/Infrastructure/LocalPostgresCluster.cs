using System.Security.Cryptography;
using AppHost.Startup;

namespace AppHost.Infrastructure;

/// <summary>
/// A private PostgreSQL cluster of this machine's PostgreSQL programs in a folder of the AppHost's: created by initdb on
/// the first run (superuser password and authentication as in Aspire's container), kept between runs, listening on
/// 127.0.0.1 only. Aspire runs its server as an executable resource; this class only prepares the folder and the command.
/// </summary>
public sealed class LocalPostgresCluster
{
    // PostgreSQL refuses to run as root: then the cluster belongs to the OS user Debian's package creates.
    private const string OsUser = "postgres";
    private const string Fix = "run scripts/prerequisites.sh, or set ConnectionStrings__tasksdb and ConnectionStrings__identitydb to use another server";
    private const string PasswordAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private readonly string _binaries;

    public LocalPostgresCluster(string directory, int? port)
    {
        Directory = directory;
        Port = port is { } fixedPort ? Ports.EnsureFree(fixedPort, "Postgres:Port") : null;
        _binaries = FindBinaries() ?? throw new StartupProblem($"PostgreSQL's programs (/usr/lib/postgresql/*/bin/postgres) are not installed: {Fix}");
    }

    /// <summary>The cluster's folder: its data, and the generated superuser password kept for the next run.</summary>
    public string Directory { get; }

    /// <summary>The configured port (<c>Postgres:Port</c>); null lets Aspire choose a free one.</summary>
    public int? Port { get; }

    /// <summary>What Aspire runs. As root, setpriv switches to the OS user and then becomes postgres itself, so DCP's stop signal reaches the server.</summary>
    public string Command => AsRoot ? "setpriv" : Path.Combine(_binaries, "postgres");

    private static bool AsRoot => Environment.IsPrivilegedProcess;
    private string DataDirectory => Path.Combine(Directory, "data");
    private string PasswordFile => Path.Combine(Directory, "password");

    public void AddServerArguments(IList<object> args, object port)
    {
        foreach (var arg in AsOsUser(Path.Combine(_binaries, "postgres")))
        {
            args.Add(arg);
        }
        // TCP on loopback only: a socket in the shared /var/run/postgresql could collide with the system's own server.
        foreach (var arg in new object[] { "-D", DataDirectory, "-p", port, "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" })
        {
            args.Add(arg);
        }
    }

    public string ReadPassword() => File.ReadAllText(PasswordFile).Trim();

    /// <summary>On the first run: the folder, a generated password and the cluster (a few seconds).</summary>
    public void CreateIfMissing(string superUser)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!File.Exists(PasswordFile))
        {
            File.WriteAllText(PasswordFile, RandomNumberGenerator.GetString(PasswordAlphabet, 22));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        if (AsRoot)
        {
            if (Processes.Run("chown", ["-R", $"{OsUser}:", Directory]).ExitCode != 0)
            {
                throw new StartupProblem($"cannot give {Directory} to the {OsUser} OS user (is PostgreSQL installed?): {Fix}");
            }
            if (Processes.Run(Command, [.. AsOsUser("test"), "-w", Directory]).ExitCode != 0)
            {
                throw new StartupProblem(
                    $"the {OsUser} OS user cannot reach {Directory}: choose a data folder outside private folders such as /root " +
                    $"with {InfrastructureChoice.DataDirectoryKey} (--data-dir), e.g. /var/tmp/tasks-apphost");
            }
        }
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return;
        }

        Console.WriteLine($"postgres: creating a private cluster in {DataDirectory}");
        var initdb = Path.Combine(_binaries, "initdb");
        string[] initdbArgs =
        [
            "-D", DataDirectory, $"--username={superUser}", $"--pwfile={PasswordFile}", "--encoding=UTF8", "--no-locale",
            "--no-instructions", "--auth-host=scram-sha-256", "--auth-local=scram-sha-256",
        ];
        var result = AsRoot ? Processes.Run(Command, [.. AsOsUser(initdb), .. initdbArgs]) : Processes.Run(initdb, initdbArgs);
        if (result.ExitCode != 0)
        {
            throw new StartupProblem($"initdb failed with exit code {result.ExitCode} ({result.LastErrorLine}): delete {Directory} and try again");
        }
    }

    private static IEnumerable<string> AsOsUser(string program) =>
        AsRoot ? [$"--reuid={OsUser}", $"--regid={OsUser}", "--init-groups", "--", program] : [program];

    /// <summary>Debian installs each major version's programs in /usr/lib/postgresql/{version}/bin; the newest wins.</summary>
    private static string? FindBinaries() =>
        System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
}
