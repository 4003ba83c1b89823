using System.Text.Json.Serialization;

namespace KevyOrleans.Silo.Admin;

// GET /fleet: what the status page needs per refresh, in one response (silo/README.md, "Fleet view").

/// <summary><c>GET /fleet</c>: the fleet's summary, one page of its groups (worst first), and the chosen group's detail.</summary>
/// <param name="AsOf">When the groups were read (the view is shared by every request for <see cref="FleetView.MaxAge"/>).</param>
/// <param name="Summary">The whole fleet, whatever the filters.</param>
/// <param name="Matched">Groups that match <c>state</c> and <c>q</c>.</param>
/// <param name="Page">This page, from 1 (a page past the last is the last).</param>
/// <param name="PageSize">Groups per page.</param>
/// <param name="Pages">Pages of matching groups (at least 1).</param>
/// <param name="Groups">This page's groups: no primary first, then degraded, then healthy; by name within each.</param>
/// <param name="Detail">With <c>?group=</c>: that group's members, newest elections and lag samples.</param>
public sealed record FleetAnswer(
    DateTimeOffset AsOf,
    FleetSummary Summary,
    int Matched,
    int Page,
    int PageSize,
    int Pages,
    IReadOnlyList<FleetGroup> Groups,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FleetDetail? Detail);

/// <summary>Counts over every configured group; <c>healthy + degraded + noPrimary = groups</c>.</summary>
/// <param name="ElectionsLastHour">Elections recorded in the last hour, all groups together.</param>
public sealed record FleetSummary(int Groups, int Healthy, int Degraded, int NoPrimary, int ElectionsLastHour);

/// <summary>One group in <c>GET /fleet</c>. <c>Error</c> is set when it did not answer (its state is then <c>degraded</c>).</summary>
/// <param name="State"><c>healthy</c>, <c>degraded</c> or <c>noprimary</c> (<see cref="GroupStates"/>).</param>
public sealed record FleetGroup(
    string Name,
    string State,
    ulong Epoch,
    string? Primary,
    int Members,
    int MembersUp,
    int ElectionsLastHour,
    DateTimeOffset? LastElectionAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// <summary>The chosen group in <c>GET /fleet?group=</c>, read fresh (not from the shared view).</summary>
/// <param name="Members">As in <c>GET /groups/{name}</c>.</param>
/// <param name="Elections">The newest elections, newest first (at most 20).</param>
/// <param name="Lags">The group's lag samples, oldest first (in memory, at most 120, one a second at most, taken when its status is read).</param>
/// <param name="Error">Set, and the rest empty, when the group did not answer.</param>
public sealed record FleetDetail(
    string Name,
    string State,
    ulong Epoch,
    string? Primary,
    IReadOnlyList<MemberDetail> Members,
    IReadOnlyList<ElectionEntry> Elections,
    IReadOnlyList<LagPoint> Lags,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    /// <summary>The group is in maintenance mode (<c>POST /groups/{name}/pause</c>): no automatic failover.</summary>
    public bool Paused { get; init; }

    /// <summary>When the pause ends by itself; absent when not paused or paused until resumed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? PausedUntil { get; init; }
}

/// <summary>One lag sample: when, and each member's lags.</summary>
public sealed record LagPoint(DateTimeOffset At, IReadOnlyList<MemberLagPoint> Members);

/// <summary>One member's lags in a <see cref="LagPoint"/>.</summary>
/// <param name="HeartbeatLagMs">Milliseconds since the group last heard it; null when never heard.</param>
/// <param name="ReplicationLagBytes">Bytes behind the primary's offset: data replicas that are up; null otherwise.</param>
public sealed record MemberLagPoint(string Id, long? HeartbeatLagMs, ulong? ReplicationLagBytes);
