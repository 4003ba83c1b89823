using System.Globalization;
using KevyOrleans.Testing;

namespace KevyOrleans.FailoverBenchmark;

/// <summary>What the data nodes themselves say of their roles: the same check for both systems, whatever they report.</summary>
internal static class ReplicationLinks
{
    /// <summary>True when <paramref name="primary"/> is a master with every one of <paramref name="replicas"/> following it, link up.</summary>
    public static async Task<bool> AllLinkedAsync(RedisServer primary, IEnumerable<RedisServer> replicas)
    {
        var port = primary.Port.ToString(CultureInfo.InvariantCulture);
        await using (var p = new NodeConnection(primary.Port))
        {
            if ((await p.ReplicationAsync().ConfigureAwait(false)).GetValueOrDefault("role") != "master")
            {
                return false;
            }
        }
        foreach (var replica in replicas)
        {
            await using var r = new NodeConnection(replica.Port);
            var info = await r.ReplicationAsync().ConfigureAwait(false);
            if (info.GetValueOrDefault("role") != "slave" || info.GetValueOrDefault("master_port") != port
                || info.GetValueOrDefault("master_link_status") != "up")
            {
                return false;
            }
        }
        return true;
    }
}
