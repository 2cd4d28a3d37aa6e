using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace AppHost.Startup;

/// <summary>A fixed port that is taken fails the start in one line, before Aspire starts anything that would need it.</summary>
public static class Ports
{
    /// <summary>Returns <paramref name="port"/> when nothing listens there; <paramref name="setting"/> says how to choose another.</summary>
    public static int EnsureFree(int port, string setting)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return port;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new StartupProblem($"port {port} is in use: stop what listens there, or choose another port with {setting}");
        }
    }

    /// <summary>The dashboard's own addresses (Properties/launchSettings.json), unless Aspire.Hosting.Testing randomizes them.</summary>
    public static void EnsureDashboardPortsFree(this IConfiguration configuration)
    {
        if (configuration.GetValue<bool>("DcpPublisher:RandomizePorts"))
        {
            return;
        }
        foreach (var key in new[] { "ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL" })
        {
            foreach (var url in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Uri.TryCreate(url, UriKind.Absolute, out var address) && address.Port > 0)
                {
                    EnsureFree(address.Port, $"{key} (the dashboard's; Properties/launchSettings.json)");
                }
            }
        }
    }
}
