using System.Net;
using System.Net.Sockets;

namespace AppHost.Tests;

/// <summary>Problems a developer can fix end the AppHost with one line naming the fix, before anything starts.</summary>
public sealed class StartupErrorTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly string _dataDirectory = AppHostProcess.NewDataDirectory();

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Run_ApiPortInUse_PrintsOneLineNamingTheFixAndFails()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        // The identity service's port, checked first, on a free one whatever else runs on this machine.
        await using var appHost = AppHostProcess.Start(["--data-dir", _dataDirectory, "--identity-url", AppHostProcess.FreeUrl(), "--api-url", $"http://127.0.0.1:{port}"]);

        Assert.NotEqual(0, await appHost.Exited.WaitAsync(ExitTimeout));
        var line = Assert.Single(appHost.ErrorLines);
        Assert.Equal($"error: port {port} is in use: stop what listens there, or choose another port with --api-url or TaskApi:Url", line);
    }

    [Fact]
    public async Task Run_RedisServerNotInstalled_PrintsOneLineNamingTheFixAndFails()
    {
        // No folder on PATH holds redis-server; both databases are given, so nothing else is looked for.
        await using var appHost = AppHostProcess.Start(
            ["--data-dir", _dataDirectory, "--api-url", AppHostProcess.FreeUrl()],
            new Dictionary<string, string>
            {
                ["PATH"] = Path.Combine(_dataDirectory, "empty"),
                ["ConnectionStrings__tasksdb"] = "Host=127.0.0.1;Database=unused",
                ["ConnectionStrings__identitydb"] = "Host=127.0.0.1;Database=unused",
            });

        Assert.NotEqual(0, await appHost.Exited.WaitAsync(ExitTimeout));
        var line = Assert.Single(appHost.ErrorLines);
        Assert.Equal("error: redis-server is not installed: run scripts/prerequisites.sh, or set ConnectionStrings__redis to use another Redis", line);
    }
}
