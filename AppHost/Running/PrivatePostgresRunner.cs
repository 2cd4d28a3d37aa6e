using System.Net;
using AppHost.Model;
using Npgsql;

namespace AppHost.Running;

/// <summary>
/// The PostgreSQL server as a private cluster of this machine's PostgreSQL programs in the AppHost's data folder:
/// created by initdb on the first run (superuser password and authentication as in the container), listening on
/// 127.0.0.1 only. PostgreSQL refuses to run as root, so when the AppHost is root the cluster belongs to the
/// <c>postgres</c> OS user that Debian's package creates.
/// </summary>
public sealed class PrivatePostgresRunner(PostgresServerResource postgres, AppHostSettings settings, RunValues values, ConsoleLog log)
    : ResourceRunner(postgres)
{
    private const string OsUser = "postgres";
    private const string Fix = "run scripts/prerequisites.sh, or set ConnectionStrings__tasksdb to use another server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // SIGINT is PostgreSQL's fast shutdown: it disconnects clients, rolls back their transactions and checkpoints.
    private static readonly StopPolicy Stopping = new(Posix.SigInt, TimeSpan.FromSeconds(10));

    private readonly string _folder = Path.Combine(settings.DataDirectory, postgres.Name);
    private string? _binaries;
    private string? _osUser;
    private int _port;
    private SupervisedProcess? _server;

    private string ClusterDirectory => Path.Combine(_folder, "data");

    /// <summary>The generated superuser password, kept for the next run (a run's Aspire parameter value).</summary>
    private string PasswordFile => Path.Combine(_folder, "password");

    public override IEnumerable<string> ProcessNames => [Resource.Name];

    public override void CheckPrerequisites()
    {
        _binaries = Executables.RequirePostgresBinaries(Fix, "initdb", "postgres");
        _port = settings.PostgresPort is { } port
            ? Ports.EnsureFree(IPAddress.Loopback, port, $"set {AppHostSettings.Describe(AppHostSettings.PostgresPortKey)}")
            : Ports.Free(IPAddress.Loopback);
    }

    public override async Task PrepareAsync()
    {
        Directory.CreateDirectory(_folder);
        if (!File.Exists(PasswordFile))
        {
            await File.WriteAllTextAsync(PasswordFile, postgres.Password.Generate());
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        if (!Posix.IsRoot)
        {
            return;
        }
        _osUser = OsUser;
        if (await Executables.RunAsync("chown", ["-R", $"{OsUser}:", _folder]) != 0)
        {
            throw new AppHostException($"cannot give {_folder} to the {OsUser} OS user (is PostgreSQL installed?): {Fix}");
        }
        if (await Executables.RunAsync("test", ["-w", _folder], OsUser) != 0)
        {
            throw new AppHostException(
                $"the {OsUser} OS user cannot reach {_folder}: choose a data folder outside private folders such as /root " +
                $"with {AppHostSettings.Describe(AppHostSettings.DataDirectoryKey)}, e.g. /var/tmp/tasks-apphost");
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LeftoverServer.StopAsync(Path.Combine(ClusterDirectory, "postmaster.pid"), "postgres", Posix.SigInt, log);
        if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            await CreateClusterAsync(cancellationToken);
        }

        values.Set(Expressions.Host(postgres), "127.0.0.1");
        values.Set(Expressions.Port(postgres), _port.ToString());
        values.Set(Expressions.Value(postgres.Password), (await File.ReadAllTextAsync(PasswordFile, cancellationToken)).Trim());

        _server = new SupervisedProcess(
            new ProcessSpec(Resource.Name, Path.Combine(_binaries!, "postgres"),
            [
                "-D", ClusterDirectory, "-p", _port.ToString(), "-c", "listen_addresses=127.0.0.1",
                // TCP only: a socket in the shared /var/run/postgresql could collide with the system's own server.
                "-c", "unix_socket_directories=",
            ]) { UserName = _osUser },
            Stopping, log);
        _server.Start();
        await Readiness.WaitAsync(Resource.Name, _server.Current, _ => Task.FromResult(IsAcceptingConnections()), StartTimeout, cancellationToken);
        await CheckPasswordAsync(cancellationToken);
        _server.Supervise();
    }

    public override Task StopAsync(CancellationToken stopNow) => _server?.StopAsync(stopNow) ?? Task.CompletedTask;

    public override IEnumerable<ResourceRow> Rows =>
        [new(Resource.Name, "running", _server?.Current.Id, $"127.0.0.1:{_port}", $"private cluster; data and password in {_folder}")];

    /// <summary>A connection of the AppHost's own: unpooled, so that none stays open to delay the server's shutdown.</summary>
    public static NpgsqlConnection Connect(string connectionString) =>
        new(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);

    private async Task CreateClusterAsync(CancellationToken cancellationToken)
    {
        log.Info($"creating a private PostgreSQL cluster in {ClusterDirectory}");
        var initdb = ChildProcess.Start(
            new ProcessSpec(Resource.Name, Path.Combine(_binaries!, "initdb"),
            [
                "-D", ClusterDirectory, $"--username={PostgresServerResource.SuperUser}", $"--pwfile={PasswordFile}",
                "--encoding=UTF8", "--no-locale", "--no-instructions", .. PostgresServerResource.InitdbAuthenticationArgs,
            ]) { UserName = _osUser },
            log);
        if (await initdb.Exited.WaitAsync(cancellationToken) is var exitCode and not 0)
        {
            throw new AppHostException($"initdb failed with exit code {exitCode}: see the {Resource.Name} lines above");
        }
    }

    /// <summary>The 8th line of postmaster.pid turns "ready" once the server accepts connections: what pg_ctl's wait checks too.</summary>
    private bool IsAcceptingConnections()
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(ClusterDirectory, "postmaster.pid"));
            return lines.Length >= 8 && lines[0] == _server!.Current.Id.ToString() && lines[7].Trim() == "ready";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>A cluster created with another password (its password file replaced) fails here, in one line, rather than in TaskApi.</summary>
    private async Task CheckPasswordAsync(CancellationToken cancellationToken)
    {
        await using var connection = Connect(values.Resolve(postgres.ConnectionStringExpression));
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            throw new AppHostException($"the cluster in {ClusterDirectory} rejects the password in {PasswordFile}: delete {_folder} to start with a new cluster");
        }
    }
}
