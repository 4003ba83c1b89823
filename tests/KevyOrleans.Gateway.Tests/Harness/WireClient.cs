using System.Net;
using System.Net.Sockets;

namespace KevyOrleans.Gateway.Tests.Harness;

/// <summary>Raw TCP clients for hosted members' elect ports, from a chosen loopback source address (all of 127.0.0.0/8 is loopback on Linux).</summary>
public static class WireClient
{
    public static readonly IPAddress Member = IPAddress.Loopback;

    /// <summary>An address of this machine that no test member is configured with.</summary>
    public static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.2");

    public static async Task<Socket> ConnectAsync(int port, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(from ?? Member, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True when the silo closes (or resets) the connection within <paramref name="patience"/>.</summary>
    public static async Task<bool> ClosedWithinAsync(Socket socket, TimeSpan patience)
    {
        var buffer = new byte[64];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(patience);
                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public static async Task<bool> TrySendAsync(Socket socket, byte[] bytes)
    {
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}
