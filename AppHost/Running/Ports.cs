using System.Net;
using System.Net.Sockets;

namespace AppHost.Running;

/// <summary>Loopback ports for the resources: checked before anything starts, so a clash is one clear line instead of a crashed service.</summary>
public static class Ports
{
    public static int Free(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Returns <paramref name="port"/>, or throws an <see cref="AppHostException"/> that ends with <paramref name="fix"/> when another process listens on it.</summary>
    public static int EnsureFree(IPAddress address, int port, string fix)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return port;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new AppHostException($"port {port} is in use: stop the other process or {fix}");
        }
    }

    /// <summary>The address Kestrel binds for a URL's host: a literal address, loopback for localhost, any address otherwise (*, +, a name).</summary>
    public static IPAddress ListenAddress(Uri url) =>
        IPAddress.TryParse(url.Host, out var address) ? address
        : url.IsLoopback ? IPAddress.Loopback
        : IPAddress.Any;
}
