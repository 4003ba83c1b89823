using KevyOrleans.Protocol;

namespace KevyOrleans.Abstractions;

/// <summary>One member in the group's aggregated status.</summary>
/// <param name="Hosted">Run as a grain here (true) or an external kevy server (false).</param>
/// <param name="Reachable">For a hosted member: its grain answered. For an external one: some hosted member sees it up.</param>
/// <param name="Id">The member's node id.</param>
/// <param name="IsWitness">True when the member votes but holds no data.</param>
/// <param name="Role">The role it claims (its own answer, or its last heartbeat as a hosted peer heard it); null when unknown.</param>
/// <param name="Epoch">Its epoch, or null when unknown.</param>
/// <param name="Offset">Its replication offset, or null when unknown.</param>
/// <param name="SinceLastSeenMs">Milliseconds since a hosted peer last heard it; null when never heard.</param>
/// <param name="KnownPrimary">The primary it knows of, or null.</param>
[GenerateSerializer]
[Alias("kevy.group-member")]
public sealed record GroupMemberStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] bool Hosted,
    [property: Id(2)] bool IsWitness,
    [property: Id(3)] Role? Role,
    [property: Id(4)] ulong? Epoch,
    [property: Id(5)] ulong? Offset,
    [property: Id(6)] bool Reachable,
    [property: Id(7)] double? SinceLastSeenMs,
    [property: Id(8)] string? KnownPrimary)
{
    /// <summary>
    /// For a hosted data member whose grain answered: does its data node answer probes. A member
    /// whose data node is silent sends no heartbeats, so its peers see it down although its grain
    /// answers. Null for witnesses, external members and members that did not answer.
    /// </summary>
    [Id(9)]
    public bool? DataNodeHealthy { get; init; }

    /// <summary>For a hosted member whose grain answered: the silo its activation runs on (Orleans' silo address). Null otherwise.</summary>
    [Id(10)]
    public string? Silo { get; init; }

    /// <summary>Configured never to become primary (<c>Kevy:Groups:N:Members:M:NoFailover</c>).</summary>
    [Id(11)]
    public bool NoFailover { get; init; }

    /// <summary>Its configured priority: among candidates with the same offset, hosted voters prefer the higher.</summary>
    [Id(12)]
    public int Priority { get; init; }

    /// <summary>For a hosted member that answered: why it may not become primary now; null when it may, or when unknown.</summary>
    [Id(13)]
    public string? NotEligible { get; init; }
}

/// <summary>A group as its hosted members see it.</summary>
/// <param name="Epoch">The highest epoch any member reports.</param>
/// <param name="Primary">The member that claims primary in the highest epoch, if any.</param>
/// <param name="Name">The group's name.</param>
/// <param name="Members">Every member of the group, hosted or external.</param>
[GenerateSerializer]
[Alias("kevy.group")]
public sealed record GroupStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] ulong Epoch,
    [property: Id(2)] string? Primary,
    [property: Id(3)] IReadOnlyList<GroupMemberStatus> Members)
{
    /// <summary>
    /// Set when no member is primary and every hosted member that answered sees no member up that may become
    /// primary (NoFailover, MaximumLagOnFailover): the group stays without primary until one returns. Null otherwise.
    /// </summary>
    [Id(4)]
    public string? NoPrimaryReason { get; init; }

    /// <summary>The group's maintenance mode in force; null when not paused.</summary>
    [Id(5)]
    public GroupPause? Pause { get; init; }
}
