using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>One peer as this node sees it.</summary>
/// <param name="LastSeen">Local monotonic time of the last frame from it; null = never heard.</param>
/// <param name="SinceLastSeen">How long ago that was, at the time of the snapshot.</param>
/// <param name="IsUp">Heard within down_after.</param>
/// <param name="Id">The peer's node id.</param>
/// <param name="IsWitness">True when the peer votes but holds no data.</param>
/// <param name="Epoch">The epoch in the peer's last heartbeat.</param>
/// <param name="Role">The role the peer last claimed.</param>
/// <param name="Offset">The replication offset the peer last reported.</param>
public sealed record MemberStatus(
    string Id,
    bool IsWitness,
    TimeSpan? LastSeen,
    TimeSpan? SinceLastSeen,
    ulong Epoch,
    Role Role,
    ulong Offset,
    bool IsUp);

/// <summary>What the member's data node should be doing now, according to the election.</summary>
public enum DataNodeIntent : byte
{
    /// <summary>No election outcome yet (e.g. just restarted): leave the data node as it is.</summary>
    Undecided,
    /// <summary>The member is primary and takes writes.</summary>
    Primary,
    /// <summary>The member is primary but fenced: it must not take writes.</summary>
    FencedPrimary,
    /// <summary>The member follows the known primary.</summary>
    Replica,
    /// <summary>The group is paused (maintenance mode): leave the data node exactly as it is, whatever the election says.</summary>
    Held,
}

/// <summary>A read-only snapshot of one elector.</summary>
/// <param name="Self">This member's node id.</param>
/// <param name="Role">The role it claims.</param>
/// <param name="Epoch">Its current epoch.</param>
/// <param name="Vote">Its durable vote, if it has cast one.</param>
/// <param name="KnownPrimary">The node id of the primary it knows of, or null.</param>
/// <param name="KnownPrimaryEpoch">The epoch in which that primary was learned.</param>
/// <param name="QuorumVisible">True when it hears from a quorum of members, itself included.</param>
/// <param name="VisibleMembers">How many members it heard from within down_after, itself included.</param>
/// <param name="Quorum">Votes needed to win an epoch in this group.</param>
/// <param name="Fenced">True when its data node is held back from taking writes.</param>
/// <param name="DataNodeHealthy">True when its data node is reported healthy and its last probe succeeded.</param>
/// <param name="OwnOffset">The replication offset it advertises (0 for a witness).</param>
/// <param name="Intent">What its data node should be doing now.</param>
/// <param name="Members">Every other member as it sees them.</param>
public sealed record ElectorStatus(
    string Self,
    Role Role,
    ulong Epoch,
    Vote? Vote,
    string? KnownPrimary,
    ulong KnownPrimaryEpoch,
    bool QuorumVisible,
    int VisibleMembers,
    int Quorum,
    bool Fenced,
    bool DataNodeHealthy,
    ulong OwnOffset,
    DataNodeIntent Intent,
    IReadOnlyList<MemberStatus> Members);
