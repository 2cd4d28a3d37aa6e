using System.Net;
using System.Net.Sockets;

namespace Tasks.Testing;

public static class FreePorts
{
    /// <summary>A loopback port free at this moment, for a server that must be told its port before it starts.</summary>
    public static int Loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
