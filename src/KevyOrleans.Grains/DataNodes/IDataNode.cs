using KevyOrleans.Protocol;

namespace KevyOrleans.Grains.DataNodes;

/// <summary>What a data node says it is (<c>role</c> in <c>INFO replication</c>).</summary>
public enum DataNodeRole : byte
{
    /// <summary>Not reported (a probe that reads offsets only).</summary>
    Unknown,
    /// <summary>The node takes writes (<c>role:master</c>).</summary>
    Master,
    /// <summary>The node replicates from a master (<c>role:slave</c> or <c>replica</c>).</summary>
    Replica,
}

/// <summary>
/// The result of probing a data node: did it answer, at which replication offset, and, when the probe
/// reads them, its role and the master it follows (host and port as the node reports them: for the kevy
/// kind that is the replication port).
/// </summary>
public readonly record struct DataNodeProbe(bool Answered, ulong Offset)
{
    /// <summary>A probe that also read the node's role and, for a replica, the master it follows.</summary>
    /// <param name="answered">The node answered.</param>
    /// <param name="offset">The node's replication offset.</param>
    /// <param name="role">The role the node reports.</param>
    /// <param name="masterHost">The followed master's host (a replica only).</param>
    /// <param name="masterPort">The followed master's port (a replica only).</param>
    /// <param name="masterLinkStatus"><c>up</c> or <c>down</c> (a replica only).</param>
    public DataNodeProbe(bool answered, ulong offset, DataNodeRole role, string? masterHost = null, int masterPort = 0, string? masterLinkStatus = null)
        : this(answered, offset)
    {
        Role = role;
        MasterHost = masterHost;
        MasterPort = masterPort;
        MasterLinkStatus = masterLinkStatus;
    }

    /// <summary>The probe of a node that did not answer.</summary>
    public static DataNodeProbe Silent { get; } = new(false, 0);

    /// <summary>The role the node reports; <see cref="DataNodeRole.Unknown"/> when the probe read offsets only.</summary>
    public DataNodeRole Role { get; init; }

    /// <summary>The followed master's host (a replica only).</summary>
    public string? MasterHost { get; init; }

    /// <summary>The followed master's port (a replica only).</summary>
    public int MasterPort { get; init; }

    /// <summary><c>up</c> or <c>down</c> as reported (a replica only).</summary>
    public string? MasterLinkStatus { get; init; }

    /// <summary>The probe's connect was refused by the node's host: its process is certainly gone (rule 14).</summary>
    public bool CertainlyDead { get; init; }

    /// <summary>A replica of exactly <paramref name="host"/>:<paramref name="port"/> (host compared case-insensitively, brackets ignored).</summary>
    public bool Follows(string host, int port) =>
        Role == DataNodeRole.Replica && MasterPort == port && MasterHost is { } h &&
        Endpoints.SameHost(h, host);

    /// <summary>The probe in words for logs: silent, master, or replica of whom, with the offset.</summary>
    public override string ToString() => !Answered ? "silent" : Role switch
    {
        DataNodeRole.Master => $"master at offset {Offset}",
        DataNodeRole.Replica => $"replica of {MasterHost}:{MasterPort} (link {MasterLinkStatus ?? "?"}) at offset {Offset}",
        _ => $"answering at offset {Offset}",
    };
}

/// <summary>
/// The data node a hosted member drives (its kevy or Redis process). Every call is idempotent and
/// bounded by the caller's cancellation token.
/// </summary>
public interface IDataNode
{
    /// <summary>Ask the node whether it is alive, its replication offset, role and followed master.</summary>
    Task<DataNodeProbe> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Stop replicating and take writes.</summary>
    Task PromoteAsync(CancellationToken cancellationToken);

    /// <summary>Replicate from the primary whose client address is <paramref name="primaryHost"/>:<paramref name="primaryClientPort"/>.</summary>
    Task FollowAsync(string primaryHost, int primaryClientPort, CancellationToken cancellationToken);

    /// <summary>Stop taking writes (a primary without a majority). Called again every tick while fenced.</summary>
    Task FenceAsync(CancellationToken cancellationToken);

    /// <summary>Lift the fence and take writes again.</summary>
    Task UnfenceAsync(CancellationToken cancellationToken);
}

/// <summary>Creates the data node of a hosted, non-witness member.</summary>
public interface IDataNodeFactory
{
    /// <summary>The data node of <paramref name="member"/> in <paramref name="group"/>.</summary>
    /// <param name="group">The group the member belongs to.</param>
    /// <param name="member">The id of a hosted, non-witness member.</param>
    IDataNode Create(GroupDefinition group, string member);
}
