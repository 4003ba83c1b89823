using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>One peer as this node sees it.</summary>
/// <param name="LastSeen">Local monotonic time of the last frame from it; null = never heard.</param>
/// <param name="SinceLastSeen">How long ago that was, at the time of the snapshot.</param>
/// <param name="IsUp">Heard within down_after.</param>
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
    Primary,
    FencedPrimary,
    Replica,
}

/// <summary>A read-only snapshot of one elector.</summary>
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
