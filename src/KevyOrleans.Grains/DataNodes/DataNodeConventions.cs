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
}
