using System.Globalization;
using KevyOrleans.Protocol.Resp;
using KevyOrleans.Testing;

namespace KevyOrleans.FailoverBenchmark;

/// <summary>
/// Three Redis Sentinels (quorum 2, parallel-syncs 1) monitoring three redis-servers: one master, two replicas
/// made so by <c>REPLICAOF</c>. Each sentinel has its own config file in its own temp directory, which it rewrites.
/// </summary>
internal sealed class SentinelGroup : IFailoverGroup
{
    private const string MasterName = "bench";
    private readonly List<RedisServer> _nodes = [];
    private readonly List<RedisServer> _sentinels = [];
    private readonly List<NodeConnection> _connections = [];

    private SentinelGroup(int downAfterMs) => DownAfterMs = downAfterMs;

    /// <summary>Small beside Sentinel's default 180 s, so an aborted attempt is retried soon; a successful failover does not wait on it.</summary>
    public static int FailoverTimeoutMs => 5000;

    public string SystemName => "redis-sentinel";

    public string Mode => "-";

    public int DownAfterMs { get; }

    public IReadOnlyList<RedisServer> DataNodes => _nodes;

    public static Task<SentinelGroup> StartAsync(int downAfterMs) =>
        IFailoverGroup.StartOrDisposeAsync(new SentinelGroup(downAfterMs), g => g.StartProcessesAsync());

    public async Task<RedisServer?> TryStablePrimaryAsync()
    {
        int? masterPort = null;
        foreach (var sentinel in _connections)
        {
            var port = await MasterPortAsync(sentinel).ConfigureAwait(false);
            if (port is null || (masterPort is { } seen && seen != port) || !await SeesAllLinkedAsync(sentinel, port.Value).ConfigureAwait(false))
            {
                return null;
            }
            masterPort = port;
        }
        var primary = _nodes.Find(n => n.Port == masterPort);
        return primary is not null && await ReplicationLinks.AllLinkedAsync(primary, _nodes.Where(n => n != primary)).ConfigureAwait(false) ? primary : null;
    }

    public string Tail() => string.Join('\n', _sentinels.Select((s, i) => $"sentinel {i + 1} (port {s.Port}):\n{s.Output()}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _connections)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var process in _sentinels.Concat(_nodes))
        {
            await process.DisposeAsync().ConfigureAwait(false); // SIGKILL by pid, then its temp directory
        }
    }

    private async Task StartProcessesAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(await RedisServer.StartAsync().ConfigureAwait(false));
        }
        var master = _nodes[0];
        foreach (var replica in _nodes.Skip(1))
        {
            await using var c = new NodeConnection(replica.Port);
            var reply = await c.TryCallAsync(TimeSpan.FromSeconds(5), "REPLICAOF", master.Host, master.Port.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            if (reply?.Kind != RespKind.SimpleString)
            {
                throw new InvalidOperationException($"REPLICAOF on port {replica.Port} answered {reply?.ToString() ?? "nothing"}");
            }
        }
        var monitor = string.Create(CultureInfo.InvariantCulture, $"""
            sentinel monitor {MasterName} {master.Host} {master.Port} 2
            sentinel down-after-milliseconds {MasterName} {DownAfterMs}
            sentinel failover-timeout {MasterName} {FailoverTimeoutMs}
            sentinel parallel-syncs {MasterName} 1
            """);
        for (var i = 0; i < 3; i++)
        {
            var sentinel = await RedisServer.StartSentinelAsync(monitor).ConfigureAwait(false);
            _sentinels.Add(sentinel);
            _connections.Add(new NodeConnection(sentinel.Port));
        }
    }

    private static async Task<int?> MasterPortAsync(NodeConnection sentinel)
    {
        var reply = await sentinel.TryCallAsync(TimeSpan.FromSeconds(2), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MasterName).ConfigureAwait(false);
        return reply?.Items is [_, { Text: { } port }] && int.TryParse(port, CultureInfo.InvariantCulture, out var p) ? p : null;
    }

    /// <summary>
    /// This sentinel is done with any failover (flags just <c>master</c>), knows the two other sentinels, and sees
    /// both replicas healthy and following the master: only then would a new kill start from the same state.
    /// </summary>
    private static async Task<bool> SeesAllLinkedAsync(NodeConnection sentinel, int masterPort)
    {
        var within = TimeSpan.FromSeconds(2);
        var master = await sentinel.TryCallAsync(within, "SENTINEL", "MASTER", MasterName).ConfigureAwait(false);
        if (master?.Items is null || master.Fields() is not { } m || m.GetValueOrDefault("flags") != "master" || m.GetValueOrDefault("num-other-sentinels") != "2")
        {
            return false;
        }
        var replicas = await sentinel.TryCallAsync(within, "SENTINEL", "REPLICAS", MasterName).ConfigureAwait(false);
        if (replicas?.Items is not { } items)
        {
            return false;
        }
        var port = masterPort.ToString(CultureInfo.InvariantCulture);
        var healthy = items.Where(i => i.Items is not null).Select(i => i.Fields()).Count(r =>
            r.GetValueOrDefault("flags") == "slave" && r.GetValueOrDefault("master-link-status") == "ok" && r.GetValueOrDefault("master-port") == port);
        return healthy == 2;
    }
}
