using KevyOrleans.Protocol;

namespace KevyOrleans.Abstractions;

/// <summary>A peer as one hosted member sees it.</summary>
[GenerateSerializer]
[Alias("kevy.peer")]
public sealed record PeerSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] bool IsWitness,
    [property: Id(2)] double? SinceLastSeenMs,
    [property: Id(3)] ulong Epoch,
    [property: Id(4)] Role Role,
    [property: Id(5)] ulong Offset,
    [property: Id(6)] bool IsUp);

/// <summary>What a hosted member reports about itself and its view of the group.</summary>
[GenerateSerializer]
[Alias("kevy.member")]
public sealed record MemberSnapshot(
    [property: Id(0)] string Group,
    [property: Id(1)] string Member,
    [property: Id(2)] bool IsWitness,
    [property: Id(3)] Role Role,
    [property: Id(4)] ulong Epoch,
    [property: Id(5)] ulong? VoteEpoch,
    [property: Id(6)] string? VotedFor,
    [property: Id(7)] string? KnownPrimary,
    [property: Id(8)] bool QuorumVisible,
    [property: Id(9)] bool Fenced,
    [property: Id(10)] bool DataNodeHealthy,
    [property: Id(11)] ulong Offset,
    [property: Id(12)] string Silo,
    [property: Id(13)] IReadOnlyList<PeerSnapshot> Peers)
{
    /// <summary>
    /// The last planned switchover this member abandoned because its fence failed (it stays primary):
    /// when, and why; null when none in this activation. The admin API reports it instead of a timeout.
    /// </summary>
    [Id(14)]
    public HandoverAbandonment? LastHandoverAbandoned { get; init; }

    /// <summary>Why this member may not become primary now (NoFailover, a witness, or lagging beyond MaximumLagOnFailover); null when it may.</summary>
    [Id(15)]
    public string? NotEligible { get; init; }

    /// <summary>Data members up, this one included, that may become primary, as this member sees them (its known primary excluded).</summary>
    [Id(16)]
    public int EligibleMembersUp { get; init; }

    /// <summary>The group's maintenance mode as this member holds it; null when it is not paused.</summary>
    [Id(17)]
    public GroupPause? Pause { get; init; }
}

/// <summary>A planned switchover that a primary gave up on a failed fence: the target it was for, when, and why.</summary>
[GenerateSerializer]
[Alias("kevy.handover-abandoned")]
public sealed record HandoverAbandonment(
    [property: Id(0)] string Target,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Reason);
