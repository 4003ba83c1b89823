using System.Globalization;

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

    public static DataNodeDialect For(DataNodeKind kind, TimeSpan fencePause) => kind switch
    {
        DataNodeKind.Redis => new RedisDialect(fencePause),
        DataNodeKind.Kevy => KevyDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown data-node kind"),
    };

    public abstract IReadOnlyList<string[]> Promote();

    public abstract IReadOnlyList<string[]> Follow(string primaryHost, int primaryClientPort);

    public abstract IReadOnlyList<string[]> Fence();

    public abstract IReadOnlyList<string[]> Unfence();

    private protected static string[] ReplicaOf(string host, int port) =>
        ["REPLICAOF", host.Trim('[', ']'), port.ToString(CultureInfo.InvariantCulture)];
}

/// <summary>
/// Redis / Valkey: fence with <c>CLIENT PAUSE ms WRITE</c>, renewed while fenced. Every action that
/// opens writes ends with <c>CLIENT UNPAUSE</c>, and only after the <c>REPLICAOF</c>: writes held by a
/// fence then run on a node that is already a replica and get -READONLY, never on a stale master.
/// </summary>
public sealed class RedisDialect(TimeSpan fencePause) : DataNodeDialect
{
    public TimeSpan FencePauseLength { get; } = fencePause;

    public override IReadOnlyList<string[]> Promote() => [ReplicaOfNoOne, ClientUnpause];

    public override IReadOnlyList<string[]> Follow(string primaryHost, int primaryClientPort) =>
        [ReplicaOf(primaryHost, primaryClientPort), ClientUnpause];

    public override IReadOnlyList<string[]> Fence() =>
        [["CLIENT", "PAUSE", ((long)Math.Ceiling(FencePauseLength.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture), "WRITE"]];

    public override IReadOnlyList<string[]> Unfence() => [ClientUnpause];
}

/// <summary>
/// kevy: follow the primary's replication port (client port + 10000); fence by following
/// <see cref="DataNodeConventions.KevyFenceHost"/>:<see cref="DataNodeConventions.KevyFencePort"/>,
/// which keeps the data and answers writes with -READONLY; unfence with <c>REPLICAOF NO ONE</c>.
/// </summary>
public sealed class KevyDialect : DataNodeDialect
{
    public static KevyDialect Instance { get; } = new();

    private KevyDialect()
    {
    }

    public override IReadOnlyList<string[]> Promote() => [ReplicaOfNoOne];

    public override IReadOnlyList<string[]> Follow(string primaryHost, int primaryClientPort) =>
        [ReplicaOf(primaryHost, DataNodeConventions.ReplicationPort(DataNodeKind.Kevy, primaryClientPort))];

    public override IReadOnlyList<string[]> Fence() =>
        [ReplicaOf(DataNodeConventions.KevyFenceHost, DataNodeConventions.KevyFencePort)];

    public override IReadOnlyList<string[]> Unfence() => [ReplicaOfNoOne];
}
