using System.Net;

namespace KevyOrleans.Gateway.Security;

/// <summary>
/// Open connections per source address, for the per-source caps of the elect and Sentinel listeners:
/// one host cannot take every slot.
/// </summary>
internal sealed class ConnectionsPerSource
{
    private readonly Dictionary<IPAddress, int> _open = [];

    /// <summary>Takes a slot for <paramref name="source"/> unless it already holds <paramref name="limit"/>; <paramref name="open"/> is what it held.</summary>
    public bool TryTake(IPAddress source, int limit, out int open)
    {
        lock (_open)
        {
            open = _open.GetValueOrDefault(source);
            if (open >= limit)
            {
                return false;
            }
            _open[source] = open + 1;
            return true;
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryTake"/>.</summary>
    public void Release(IPAddress source)
    {
        lock (_open)
        {
            if (_open.TryGetValue(source, out var open))
            {
                if (open <= 1)
                {
                    _open.Remove(source);
                }
                else
                {
                    _open[source] = open - 1;
                }
            }
        }
    }
}
