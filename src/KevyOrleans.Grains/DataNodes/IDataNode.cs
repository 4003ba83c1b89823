namespace KevyOrleans.Grains.DataNodes;

/// <summary>The result of probing a data node: did it answer, and at which replication offset.</summary>
public readonly record struct DataNodeProbe(bool Answered, ulong Offset)
{
    public static DataNodeProbe Silent { get; } = new(false, 0);
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

    /// <summary>Stop taking writes (a primary without a majority).</summary>
    Task FenceAsync(CancellationToken cancellationToken);

    Task UnfenceAsync(CancellationToken cancellationToken);
}

/// <summary>Creates the data node of a hosted, non-witness member.</summary>
public interface IDataNodeFactory
{
    IDataNode Create(GroupDefinition group, string member);
}
