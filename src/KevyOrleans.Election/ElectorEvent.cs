using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>Things the host logs and counts. They change nothing by themselves.</summary>
public enum ElectorEventKind : byte
{
    /// <summary>This member started a candidacy and offered a new epoch.</summary>
    BecameCandidate,
    /// <summary>This member won its epoch with a quorum of votes and became primary.</summary>
    BecamePrimary,
    /// <summary>A primary or candidate became a replica (higher epoch, lost duel, announcement).</summary>
    SteppedDown,
    /// <summary>A candidacy ran out of time without quorum; a backoff follows.</summary>
    CandidacyTimedOut,
    /// <summary>A new primary is known (announcement, heartbeat of a higher epoch, bootstrap).</summary>
    PrimaryLearned,
    /// <summary>The known primary said it is no longer primary (it restarted).</summary>
    PrimaryLost,
    /// <summary>This member voted (sent ACCEPT) for a candidate's epoch.</summary>
    VoteCast,
    /// <summary>An ANNOUNCE named a different primary for an epoch whose primary is known (rule 3).</summary>
    ConflictingAnnounce,
    /// <summary>Two members claim to be primary in this node's epoch: a split brain sign.</summary>
    ConflictingPrimary,
    /// <summary>This primary lost sight of a majority past its lease and stopped taking writes.</summary>
    Fenced,
    /// <summary>This primary sees a majority again and takes writes again.</summary>
    Unfenced,
    /// <summary>A frame whose sender is not a member, or is this node (rule 6).</summary>
    FrameFromStranger,
    /// <summary>A planned switchover to the named member arrived.</summary>
    HandoverPlanned,
    /// <summary>The planned target (or this node) became primary.</summary>
    HandoverCompleted,
    /// <summary>The plan lapsed before it completed, or this primary's fence failed.</summary>
    HandoverAbandoned,
    /// <summary>A frame carried an invalid epoch (at or above 2^63, rule 9) and was dropped unread.</summary>
    FrameRejected,
    /// <summary>A candidacy was not run: its epoch would reach 2^63 (rule 9). The group needs an operator.</summary>
    EpochExhausted,
    /// <summary>The primary is gone and this member is the best candidate, but NoFailover or MaximumLagOnFailover forbid it to run.</summary>
    FailoverDeclined,
    /// <summary>This member's data node is certainly dead (rule 14): it renounced its role and tells its hosted peers.</summary>
    DataNodeCertainlyDead,
    /// <summary>A hosted peer's notice of certain death was taken: that peer counts as DOWN now (rule 14).</summary>
    PeerCertainlyDead,
    /// <summary>A notice of certain death was ignored: stale, late, from a non-member, or fast failover is off.</summary>
    DeathNoticeIgnored,
    /// <summary>This member would run for a failover, but the last one is more recent than MinimumTimeBetweenFailovers (anti-flapping).</summary>
    FailoverHeld,
    /// <summary>This primary stepped down for a planned switchover: its fence confirmed, the target caught up (appended: the values are stable).</summary>
    SteppedDownForHandover,
    /// <summary>A rival candidate of this candidacy's epoch stood down: this member runs again one epoch up at once.</summary>
    CandidacyRenewed,
}

/// <summary>One notable thing that happened while handling an input.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Epoch">This member's epoch at the time.</param>
/// <param name="Member">The member it concerns, if any.</param>
/// <param name="Detail">Why, in words.</param>
/// <param name="Verb">The verb of the frame it concerns, for events about one frame (<see cref="ElectorEventKind.FrameRejected"/>, <see cref="ElectorEventKind.FrameFromStranger"/>).</param>
public sealed record ElectorEvent(ElectorEventKind Kind, ulong Epoch, string? Member = null, string? Detail = null, Verb? Verb = null)
{
    /// <summary>The event for logs: kind, epoch, and member and detail when present.</summary>
    public override string ToString() =>
        $"{Kind} epoch={Epoch}{(Member is null ? "" : $" member={Member}")}{(Detail is null ? "" : $" ({Detail})")}";
}
