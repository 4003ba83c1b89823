using KevyOrleans.Protocol;

namespace KevyOrleans.Grains.DataNodes;

/// <summary>What a data node says it is (<c>role</c> in <c>INFO replication</c>).</summary>
public enum DataNodeRole : byte
{
    /// <summary>Not reported (a probe that reads offsets only).</summary>
    Unknown,
    Master,
    Replica,
}

/// <summary>
/// The result of probing a data node: did it answer, at which replication offset, and, when the probe
/// reads them, its role and the master it follows (host and port as the node reports them: for the kevy
/// kind that is the replication port).
/// </summary>
public readonly record struct DataNodeProbe(bool Answered, ulong Offset)
{
    public DataNodeProbe(bool answered, ulong offset, DataNodeRole role, string? masterHost = null, int masterPort = 0, string? masterLinkStatus = null)
        : this(answered, offset)
    {
        Role = role;
        MasterHost = masterHost;
        MasterPort = masterPort;
        MasterLinkStatus = masterLinkStatus;
    }

    public static DataNodeProbe Silent { get; } = new(false, 0);

    public DataNodeRole Role { get; init; }

    /// <summary>The followed master's host (a replica only).</summary>
    public string? MasterHost { get; init; }

    /// <summary>The followed master's port (a replica only).</summary>
    public int MasterPort { get; init; }

    /// <summary><c>up</c> or <c>down</c> as reported (a replica only).</summary>
    public string? MasterLinkStatus { get; init; }

    /// <summary>A replica of exactly <paramref name="host"/>:<paramref name="port"/> (host compared case-insensitively, brackets ignored).</summary>
    public bool Follows(string host, int port) =>
        Role == DataNodeRole.Replica && MasterPort == port && MasterHost is { } h &&
        Endpoints.SameHost(h, host);

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
    Task<DataNodeProbe> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Stop replicating and take writes.</summary>
    Task PromoteAsync(CancellationToken cancellationToken);

    /// <summary>Replicate from the primary whose client address is <paramref name="primaryHost"/>:<paramref name="primaryClientPort"/>.</summary>
    Task FollowAsync(string primaryHost, int primaryClientPort, CancellationToken cancellationToken);

    /// <summary>Stop taking writes (a primary without a majority). Called again every tick while fenced.</summary>
    Task FenceAsync(CancellationToken cancellationToken);

    Task UnfenceAsync(CancellationToken cancellationToken);
}

/// <summary>Creates the data node of a hosted, non-witness member.</summary>
public interface IDataNodeFactory
{
    IDataNode Create(GroupDefinition group, string member);
}
