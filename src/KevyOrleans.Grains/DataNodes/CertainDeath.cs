using System.Net.Sockets;

namespace KevyOrleans.Grains.DataNodes;

/// <summary>Which failures of a data-node call prove the node's process gone (rule 14).</summary>
public static class CertainDeath
{
    /// <summary>
    /// True for a connect refused by the node's host: the host answers and nothing listens on the port. A
    /// timeout, a reset of an established connection or a host that cannot be reached is never certain (a
    /// reset is settled by the next connect, which the death watch makes at once).
    /// </summary>
    /// <param name="failure">What the call threw.</param>
    public static bool IsRefusal(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }
        return false;
    }
}
