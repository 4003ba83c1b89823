using System.Net;
using System.Net.Sockets;

namespace KevyOrleans.Testing;

/// <summary>Loopback TCP ports nobody listens on, so parallel test classes never share one.</summary>
public static class FreePort
{
    /// <summary>
    /// A port the OS just handed out for 127.0.0.1. It is released before returning, so another
    /// process could take it in between; ephemeral ports are handed out round-robin, which makes that rare.
    /// </summary>
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
