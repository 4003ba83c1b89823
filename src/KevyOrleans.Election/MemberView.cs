using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>What this node last heard from one peer. Volatile: rebuilt from traffic after a restart.</summary>
internal sealed class MemberView(string id, bool isWitness)
{
    public string Id { get; } = id;

    public bool IsWitness { get; } = isWitness;

    /// <summary>Local monotonic time of the last frame from this peer; null = never heard.</summary>
    public TimeSpan? LastHeard { get; set; }

    public ulong Epoch { get; set; }

    public Role Role { get; set; }

    public ulong Offset { get; set; }

    /// <summary>Local time a notice of this peer's certain death was taken (rule 14); null = none in force.</summary>
    public TimeSpan? CertainlyDeadAt { get; set; }

    /// <summary>The epoch that notice carried: a frame of a later epoch proves the peer lives on.</summary>
    public ulong CertainlyDeadEpoch { get; set; }

    /// <summary>The role that notice carried.</summary>
    public Role CertainlyDeadRole { get; set; }

    /// <summary>The highest epoch of a heartbeat, OFFER or ANNOUNCE from this peer (sent only while its data node serves).</summary>
    public ulong HeartbeatEpoch { get; set; }

    /// <summary>How many probes the receiver's data node had answered when the notice was taken.</summary>
    public long AnswersAtNotice { get; set; }

    /// <summary>This peer's heartbeats carry stamps (a hosted member): the lease reads <see cref="ProvenReachedAt"/>.</summary>
    public bool Echoes { get; set; }

    /// <summary>Send time (local) of the newest frame of this activation the peer proved it received: an echoed heartbeat, or the OFFER it voted for.</summary>
    public TimeSpan? ProvenReachedAt { get; set; }

    /// <summary>Heard within <paramref name="window"/> (down_after for up/down, the lease window for fencing).</summary>
    public bool HeardWithin(TimeSpan now, TimeSpan window) => LastHeard is { } t && now - t < window;

    public MemberStatus ToStatus(TimeSpan now, TimeSpan downAfter) =>
        new(Id, IsWitness, LastHeard, LastHeard is { } t ? now - t : null, Epoch, Role, Offset, HeardWithin(now, downAfter));
}
