namespace KevyOrleans.Abstractions;

/// <summary>
/// A group as a fleet view needs it, in one call: its status, how many elections it recorded in the
/// last hour and when the newest was; with <c>detailed</c>, also its newest elections and its recent
/// lag samples (<see cref="IGroupGrain.GetOverview"/>).
/// </summary>
/// <param name="Status">The same answer as <see cref="IGroupGrain.GetStatus"/>.</param>
/// <param name="ElectionsLastHour">Elections recorded with a time within the hour before the call.</param>
/// <param name="LastElectionAt">When the newest recorded election was; null when none.</param>
/// <param name="RecentElections">Detailed only: the newest elections, newest first; empty otherwise.</param>
/// <param name="LagSamples">Detailed only: the group's lag samples, oldest first; empty otherwise.</param>
[GenerateSerializer]
[Alias("kevy.group-overview")]
public sealed record GroupOverview(
    [property: Id(0)] GroupStatus Status,
    [property: Id(1)] int ElectionsLastHour,
    [property: Id(2)] DateTimeOffset? LastElectionAt,
    [property: Id(3)] IReadOnlyList<ElectionRecord> RecentElections,
    [property: Id(4)] IReadOnlyList<LagSample> LagSamples);

/// <summary>One sample of a group's lags, taken when its status was read (in memory only).</summary>
/// <param name="At">When the sample was taken.</param>
/// <param name="Members">One entry per member of the group, in the group's member order.</param>
[GenerateSerializer]
[Alias("kevy.lag-sample")]
public sealed record LagSample(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] IReadOnlyList<MemberLag> Members);

/// <summary>One member's lags in a <see cref="LagSample"/>.</summary>
/// <param name="Id">The member's node id.</param>
/// <param name="HeartbeatLagMs">Milliseconds since the group last heard it (<see cref="GroupMemberStatus.SinceLastSeenMs"/>); null when never heard.</param>
/// <param name="ReplicationLagBytes">How far its offset trails the primary's: data replicas that are up, while the primary's offset is known; null otherwise.</param>
[GenerateSerializer]
[Alias("kevy.member-lag")]
public sealed record MemberLag(
    [property: Id(0)] string Id,
    [property: Id(1)] double? HeartbeatLagMs,
    [property: Id(2)] ulong? ReplicationLagBytes);
