using System.Net;
using System.Net.Sockets;

namespace AppHost.Tests;

/// <summary>Problems a developer can fix end the AppHost with one line naming the fix, before anything starts.</summary>
public sealed class StartupErrorTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
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

        await using var appHost = AppHostProcess.Start(["--data-dir", _dataDirectory, "--api-url", $"http://127.0.0.1:{port}"]);

        Assert.NotEqual(0, await appHost.Exited.WaitAsync(ExitTimeout));
        var line = Assert.Single(appHost.Lines);
        Assert.Equal($"error: port {port} is in use: stop the other process or set TaskApi:Url (--api-url)", line);
    }

    [Fact]
    public async Task Run_RedisServerNotInstalled_PrintsOneLineNamingTheFixAndFails()
    {
        // No folder on PATH holds redis-server (nor initdb: the AppHost then finds PostgreSQL in Debian's folder, if there).
        await using var appHost = AppHostProcess.Start(
            ["--data-dir", _dataDirectory, "--api-url", AppHostProcess.FreeApiUrl()],
            new Dictionary<string, string> { ["PATH"] = Path.Combine(_dataDirectory, "empty") });

        Assert.NotEqual(0, await appHost.Exited.WaitAsync(ExitTimeout));
        var line = Assert.Single(appHost.Lines);
        Assert.Matches(@"^error: (redis-server|initdb) not found: run scripts/prerequisites\.sh", line);
    }
}
