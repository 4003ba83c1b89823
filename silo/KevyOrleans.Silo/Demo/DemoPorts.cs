using System.Net;
using System.Net.Sockets;

namespace KevyOrleans.Silo.Demo;

/// <summary>
/// The demo's loopback ports: free ones from 16384-19999, below Linux's ephemeral range
/// (32768-60999). Outgoing connections take their local ports from that range, so a port picked
/// there (as the kernel's port 0 does) can be taken by some client before redis-server binds it.
/// The range stays clear of the test suites' ports (20000-31999) too.
/// </summary>
internal static class DemoPorts
{
    private const int First = 16384;
    private const int Count = 20000 - First;

    // Two demos on one machine start apart, so neither picks a port the other is about to bind.
    private static int _offset = Environment.ProcessId % Count;

    /// <summary>The next port of the range that can be bound on 127.0.0.1 now; each call returns another.</summary>
    public static int Next()
    {
        for (var tried = 0; tried < Count; tried++)
        {
            var port = First + (Interlocked.Increment(ref _offset) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"demo: no free loopback port from {First} to {First + Count - 1}");
    }

    /// <summary>Whether a listener could bind <paramref name="port"/> on 127.0.0.1 just now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
