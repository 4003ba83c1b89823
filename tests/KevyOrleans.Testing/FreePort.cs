using System.Net;
using System.Net.Sockets;

namespace KevyOrleans.Testing;

/// <summary>Loopback TCP ports nobody listens on, so parallel test classes never share one.</summary>
public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): outgoing connections take their local ports from
    // that range, so a port planned for a listener there can be taken by some client before the bind.
    private const int First = 20000;
    private const int Last = 32000;
    private static int _next = First + (Environment.ProcessId * 7919 % (Last - First));

    /// <summary>A port in 20000-31999 that could be bound on 127.0.0.1 just now; each call returns a different one.</summary>
    public static int Get()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) % (Last - First));
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken: try the next one
            }
        }
        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
    }
}
