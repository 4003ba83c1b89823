using System.Globalization;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains.DataNodes;

/// <summary>
/// The commands that carry out each data-node action, per kind (PROTOCOL.md, "Driving a data node from
/// outside"). Pure: a list of commands, sent in order, each of them idempotent.
/// </summary>
public abstract class DataNodeDialect
{
    private protected static readonly string[] ReplicaOfNoOne = ["REPLICAOF", "NO", "ONE"];
    private protected static readonly string[] ClientUnpause = ["CLIENT", "UNPAUSE"];

    private protected DataNodeDialect()
    {
    }

    /// <summary>
    /// What Sentinel sends after a role change so clients reconnect and re-resolve the primary: every normal
    /// and every pub/sub client is disconnected (the sender itself is not: <c>SKIPME</c> is <c>yes</c> by default;
    /// replication links are other client types).
    /// </summary>
    public static IReadOnlyList<string[]> DisconnectClients { get; } = [["CLIENT", "KILL", "TYPE", "normal"], ["CLIENT", "KILL", "TYPE", "pubsub"]];

    /// <summary>The dialect of <paramref name="kind"/>; <paramref name="selfFence"/> applies to the redis kind only.</summary>
    public static DataNodeDialect For(DataNodeKind kind, TimeSpan fencePause, RedisSelfFence? selfFence = null) => kind switch
    {
        DataNodeKind.Redis => new RedisDialect(fencePause, selfFence),
        DataNodeKind.Kevy => KevyDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown data-node kind"),
    };

    /// <summary>The commands that make the node a primary: stop replicating and take writes.</summary>
    public abstract IReadOnlyList<string[]> Promote();

    /// <summary>The commands that make the node replicate from the primary at <paramref name="primaryHost"/>:<paramref name="primaryClientPort"/>.</summary>
    /// <param name="primaryHost">The primary's client host.</param>
    /// <param name="primaryClientPort">The primary's client port (the dialect maps it to the replication port where needed).</param>
    public abstract IReadOnlyList<string[]> Follow(string primaryHost, int primaryClientPort);

    /// <summary>The commands that stop a primary without a majority from taking writes.</summary>
    public abstract IReadOnlyList<string[]> Fence();

    /// <summary>The commands that lift a fence and open the node to writes again.</summary>
    public abstract IReadOnlyList<string[]> Unfence();

    private protected static string[] ReplicaOf(string host, int port) =>
        ["REPLICAOF", Endpoints.Bare(host), port.ToString(CultureInfo.InvariantCulture)];
}

/// <summary>
/// Redis / Valkey: fence with <c>CLIENT PAUSE ms WRITE</c>, renewed while fenced. Every action that
/// opens writes ends with <c>CLIENT UNPAUSE</c>, and only after the <c>REPLICAOF</c>: writes held by a
/// fence then run on a node that is already a replica and get -READONLY, never on a stale master.
/// With a <see cref="RedisSelfFence"/>, promote first sets <c>min-replicas-max-lag</c> and
/// <c>min-replicas-to-write</c> (before the node takes a write) and follow clears
/// <c>min-replicas-to-write</c> to 0 (one setting per <c>CONFIG SET</c>: Redis before 7 takes one).
/// </summary>
public sealed class RedisDialect(TimeSpan fencePause, RedisSelfFence? selfFence = null) : DataNodeDialect
{
    private static readonly string[] ClearMinReplicas = ["CONFIG", "SET", "min-replicas-to-write", "0"];

    /// <summary>How long each <c>CLIENT PAUSE ... WRITE</c> fence lasts; it is renewed every tick while fenced.</summary>
    public TimeSpan FencePauseLength { get; } = fencePause;

    /// <summary>The self-fencing set on promote; null = off (promote and follow leave the settings alone).</summary>
    public RedisSelfFence? SelfFence { get; } = selfFence;

    /// <inheritdoc/>
    public override IReadOnlyList<string[]> Promote() => SelfFence is { } f
        ?
        [
            ["CONFIG", "SET", "min-replicas-max-lag", f.MaxLagSeconds.ToString(CultureInfo.InvariantCulture)],
            ["CONFIG", "SET", "min-replicas-to-write", f.MinReplicas.ToString(CultureInfo.InvariantCulture)],
            ReplicaOfNoOne,
            ClientUnpause,
        ]
        : [ReplicaOfNoOne, ClientUnpause];

    /// <inheritdoc/>
    public override IReadOnlyList<string[]> Follow(string primaryHost, int primaryClientPort) => SelfFence is null
        ? [ReplicaOf(primaryHost, primaryClientPort), ClientUnpause]
        : [ReplicaOf(primaryHost, primaryClientPort), ClearMinReplicas, ClientUnpause];

    /// <inheritdoc/>
    public override IReadOnlyList<string[]> Fence() =>
        [["CLIENT", "PAUSE", ((long)Math.Ceiling(FencePauseLength.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture), "WRITE"]];

    /// <inheritdoc/>
    public override IReadOnlyList<string[]> Unfence() => [ClientUnpause];
}

/// <summary>
/// kevy: follow the primary's replication port (client port + 10000); fence by following
/// <see cref="DataNodeConventions.KevyFenceHost"/>:<see cref="DataNodeConventions.KevyFencePort"/>,
/// which keeps the data and answers writes with -READONLY; unfence with <c>REPLICAOF NO ONE</c>.
/// </summary>
public sealed class KevyDialect : DataNodeDialect
{
    /// <summary>The one kevy dialect (it holds no settings).</summary>
    public static KevyDialect Instance { get; } = new();

    private KevyDialect()
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string[]> Promote() => [ReplicaOfNoOne];

    /// <inheritdoc/>
    public override IReadOnlyList<string[]> Follow(string primaryHost, int primaryClientPort) =>
        [ReplicaOf(primaryHost, DataNodeConventions.ReplicationPort(DataNodeKind.Kevy, primaryClientPort))];

    /// <inheritdoc/>
    public override IReadOnlyList<string[]> Fence() =>
        [ReplicaOf(DataNodeConventions.KevyFenceHost, DataNodeConventions.KevyFencePort)];

    /// <inheritdoc/>
    public override IReadOnlyList<string[]> Unfence() => [ReplicaOfNoOne];
}
