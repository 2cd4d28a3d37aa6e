using System.Net;
using System.Net.Sockets;
using System.Text;
using AppHost.Model;

namespace AppHost.Running;

/// <summary>
/// Redis as a private <c>redis-server</c> of this machine, with the container's arguments (append-only persistence)
/// and its files in the AppHost's data folder, listening on 127.0.0.1 only.
/// </summary>
public sealed class PrivateRedisRunner(RedisResource redis, AppHostSettings settings, RunValues values, ConsoleLog log) : ResourceRunner(redis)
{
    private const string Program = "redis-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    // On SIGTERM Redis shuts down as on SHUTDOWN: it flushes the append-only file first.
    private static readonly StopPolicy Stopping = new(Posix.SigTerm, TimeSpan.FromSeconds(10));

    private readonly string _folder = Path.Combine(settings.DataDirectory, redis.Name);
    private string? _program;
    private int _port;
    private SupervisedProcess? _server;

    private string PidFile => Path.Combine(_folder, Program + ".pid");

    public override IEnumerable<string> ProcessNames => [Resource.Name];

    public override void CheckPrerequisites()
    {
        _program = Executables.Require(Program, "run scripts/prerequisites.sh, or set ConnectionStrings__redis to use another Redis");
        _port = settings.RedisPort is { } port
            ? Ports.EnsureFree(IPAddress.Loopback, port, $"set {AppHostSettings.Describe(AppHostSettings.RedisPortKey)}")
            : Ports.Free(IPAddress.Loopback);
    }

    public override Task PrepareAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.CompletedTask;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LeftoverServer.StopAsync(PidFile, Program, Posix.SigTerm, log);
        values.Set(Expressions.Host(redis), "127.0.0.1");
        values.Set(Expressions.Port(redis), _port.ToString());

        _server = new SupervisedProcess(
            new ProcessSpec(Resource.Name, _program!,
            [
                "--port", _port.ToString(), "--bind", "127.0.0.1", "--dir", _folder, "--pidfile", PidFile, "--daemonize", "no",
                // The append-only file (the container's arguments, below) is the persistence; no snapshots besides it.
                "--save", "", .. redis.Args,
            ]),
            Stopping, log);
        _server.Start();
        await Readiness.WaitAsync(Resource.Name, _server.Current, PingAsync, StartTimeout, cancellationToken);
        _server.Supervise();
    }

    public override Task StopAsync(CancellationToken stopNow) => _server?.StopAsync(stopNow) ?? Task.CompletedTask;

    public override IEnumerable<ResourceRow> Rows =>
        [new(Resource.Name, "running", _server?.Current.Id, values.Resolve(redis.ConnectionStringExpression), $"append-only file in {_folder}")];

    /// <summary>PING answers +PONG once Redis has loaded its data (-LOADING before).</summary>
    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, _port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var answer = new byte[64];
            var length = await stream.ReadAsync(answer, cancellationToken);
            return Encoding.ASCII.GetString(answer, 0, length).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }
}
