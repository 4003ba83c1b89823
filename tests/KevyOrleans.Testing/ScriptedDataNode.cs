using System.Collections.Concurrent;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;

namespace KevyOrleans.Testing;

/// <summary>
/// An in-memory data node the test scripts: alive or dead, its offset, and what the member told it
/// to be. Its probe reports role and master as a real node's INFO would (for the kevy kind, the
/// replication port), so reconciliation can be scripted: <see cref="RestartAsEmptyMaster"/> plays a
/// crashed node that comes back. The same behaviour is proven against redis-server in
/// KevyOrleans.DataNodes.Tests.
/// </summary>
public sealed class ScriptedDataNode : IDataNode
{
    private volatile string _role = "master";
    private volatile string? _masterHost;
    private int _masterPort;

    public volatile bool Alive = true;

    /// <summary>How the node reports the master it follows; the factory sets it from the group.</summary>
    public DataNodeKind Kind { get; set; } = DataNodeKind.Redis;

    /// <summary>False: probes report the offset only (an old-style probe), so nothing is reconciled.</summary>
    public bool ReportsRole { get; set; } = true;

    public ulong Offset { get; set; }

    /// <summary>"master" or "replica of host:client_port", as the member last set it.</summary>
    public string Role => _role;

    public bool Fenced { get; private set; }

    public ConcurrentQueue<string> Commands { get; } = new();

    public Task<DataNodeProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        if (!Alive)
        {
            return Task.FromException<DataNodeProbe>(new IOException("scripted data node is down"));
        }
        if (!ReportsRole)
        {
            return Task.FromResult(new DataNodeProbe(true, Offset));
        }
        // A fenced kevy node is a replica of the fence endpoint (KevyDialect); a fenced Redis node a paused master.
        if (Kind == DataNodeKind.Kevy && Fenced)
        {
            return Task.FromResult(new DataNodeProbe(true, Offset, DataNodeRole.Replica,
                DataNodeConventions.KevyFenceHost, DataNodeConventions.KevyFencePort, "down"));
        }
        return Task.FromResult(_masterHost is { } host
            ? new DataNodeProbe(true, Offset, DataNodeRole.Replica, host, Volatile.Read(ref _masterPort), "up")
            : new DataNodeProbe(true, Offset, DataNodeRole.Master));
    }

    public Task PromoteAsync(CancellationToken cancellationToken) => Do("promote", () => SetMaster());

    public Task FollowAsync(string primaryHost, int primaryClientPort, CancellationToken cancellationToken) =>
        Do($"follow {primaryHost}:{primaryClientPort}", () =>
        {
            Volatile.Write(ref _masterPort, DataNodeConventions.ReplicationPort(Kind, primaryClientPort));
            _masterHost = primaryHost;
            _role = $"replica of {primaryHost}:{primaryClientPort}";
            Fenced = false; // as the real dialects: the REPLICAOF replaces a kevy fence, a Redis follow ends with UNPAUSE
        });

    /// <summary>True: every fence fails (a Redis older than 6.2 refuses <c>CLIENT PAUSE ... WRITE</c>), the node stays open.</summary>
    public bool FenceFails { get; set; }

    public Task FenceAsync(CancellationToken cancellationToken) => FenceFails
        ? Task.FromException(new InvalidOperationException("ERR syntax error (scripted: this server cannot fence)"))
        : Do("fence", () => Fenced = true);

    public Task UnfenceAsync(CancellationToken cancellationToken) => Do("unfence", () => Fenced = false);

    /// <summary>A crash and restart without persistence: alive again, an empty master, unfenced.</summary>
    public void RestartAsEmptyMaster()
    {
        SetMaster();
        Offset = 0;
        Alive = true;
    }

    // Promote reopens a fenced node too (REPLICAOF NO ONE, plus UNPAUSE for Redis).
    private void SetMaster()
    {
        _masterHost = null;
        _role = "master";
        Fenced = false;
    }

    private Task Do(string command, Action apply)
    {
        if (!Alive)
        {
            return Task.FromException(new IOException("scripted data node is down"));
        }
        apply();
        Commands.Enqueue(command);
        return Task.CompletedTask;
    }
}

/// <summary>Every scripted data node of the test process (silos run in-process), by <c>group/member</c>.</summary>
public static class ScriptedDataNodes
{
    private static readonly ConcurrentDictionary<string, ScriptedDataNode> Nodes = new(StringComparer.Ordinal);

    public static ScriptedDataNode Get(string group, string member) => Nodes.GetOrAdd($"{group}/{member}", _ => new ScriptedDataNode());
}

public sealed class ScriptedDataNodeFactory : IDataNodeFactory
{
    public IDataNode Create(GroupDefinition group, string member)
    {
        ArgumentNullException.ThrowIfNull(group);
        var node = ScriptedDataNodes.Get(group.Name, member);
        node.Kind = group.DataNodes;
        return node;
    }
}
