using KevyOrleans.Election;

namespace KevyOrleans.Grains.DataNodes;

/// <summary>Where each kind of data node replicates from and how it is fenced: one place for the numbers.</summary>
public static class DataNodeConventions
{
    /// <summary>kevy's replication listener is its client port + 10000 (kevy's own docs: <c>REPLICAOF new-primary.internal 16004</c>).</summary>
    public const int KevyReplicationPortOffset = 10000;

    /// <summary>
    /// A fenced kevy node follows this host. kevy has no CLIENT PAUSE; a replica refuses writes with
    /// -READONLY and keeps its data, so fencing makes it a replica of an endpoint that cannot answer.
    /// Loopback port 1 (tcpmux) is served by no kevy (ports start at 1024 without privileges): the
    /// connection is refused at once, on the node's own machine or container, and never resolves.
    /// </summary>
    public const string KevyFenceHost = "127.0.0.1";

    /// <inheritdoc cref="KevyFenceHost"/>
    public const int KevyFencePort = 1;

    /// <summary>The port a data node of <paramref name="kind"/> follows for a primary whose client port is <paramref name="clientPort"/>.</summary>
    public static int ReplicationPort(DataNodeKind kind, int clientPort) =>
        kind == DataNodeKind.Kevy ? clientPort + KevyReplicationPortOffset : clientPort;

    /// <summary>
    /// How long one Redis <c>CLIENT PAUSE ... WRITE</c> lasts. It is renewed every tick while fenced, so
    /// a missed tick or a slow renewal never lets a write through; it is long enough to outlast a lost
    /// grain (members are back within 2 x down_after), so a fenced primary whose member died stays fenced
    /// until its member comes back and tells it to follow. Never less than four heartbeats.
    /// </summary>
    public static TimeSpan FencePause(ElectionTimings timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        var twoDownAfter = timings.DownAfter * 2;
        var fourBeats = timings.HeartbeatInterval * 4;
        return twoDownAfter > fourBeats ? twoDownAfter : fourBeats;
    }

    /// <summary>
    /// Redis' own self-fencing for a promoted primary of <paramref name="group"/> (rule 13): the
    /// <c>min-replicas-to-write</c> and <c>min-replicas-max-lag</c> the agent sets on promote, or null
    /// when the group turned it off or has no data-bearing replica to count. See <see cref="RedisSelfFence"/>.
    /// </summary>
    public static RedisSelfFence? SelfFence(GroupDefinition group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (!group.RedisSelfFence || group.DataNodes != DataNodeKind.Redis)
        {
            return null;
        }
        var dataMembers = group.Election.Members.Count - group.Election.Witnesses.Count;
        var replicas = dataMembers / 2;
        if (replicas < 1)
        {
            return null;
        }
        var lagSeconds = Math.Max(1, (int)Math.Floor(group.Timings.LeaseWindow.TotalSeconds));
        return new RedisSelfFence(replicas, lagSeconds);
    }
}

/// <summary>
/// <c>min-replicas-to-write</c> / <c>min-replicas-max-lag</c> for a promoted Redis primary: it refuses
/// writes (<c>-NOREPLICAS</c>) by itself while fewer than <paramref name="MinReplicas"/> replicas have
/// acknowledged within <paramref name="MaxLagSeconds"/>, so a primary whose member is gone stops writing
/// once a successor takes its replica away, without waiting for its member to come back.
/// <para><paramref name="MinReplicas"/> is quorum - 1 counted among the data-bearing members only
/// (floor(data members / 2)): with the primary itself a majority of the data nodes. A replica follows one
/// master, so two masters can never both hold that many replicas: a successor takes its first
/// acknowledged write only after enough replicas left the old primary, which then refuses. Without
/// witnesses it equals quorum - 1 (3 data: 1, 5 data: 2); 2 data + 1 witness: 1; 3 data + 2 witnesses: 1.
/// <paramref name="MaxLagSeconds"/> is the lease window (down_after - 2 x hb) in whole seconds, rounded
/// down, at least 1 (Redis counts lag in seconds).</para>
/// </summary>
public readonly record struct RedisSelfFence(int MinReplicas, int MaxLagSeconds);
