using System.Text.Json.Serialization;

namespace KevyOrleans.Silo.Admin;

// What the admin API answers, as plain camelCase JSON (AdminJson). Separate from the grain status
// types so the wire format of the API stays put when the grains' serializable types evolve.

/// <summary><c>{"error": "..."}</c>: every error of the admin API.</summary>
public sealed record AdminError(string Error);

/// <summary><c>GET /groups</c>.</summary>
public sealed record GroupList(IReadOnlyList<GroupSummary> Groups);

/// <summary>One group in <c>GET /groups</c>. <c>Error</c> is set, and the rest empty, when the group did not answer.</summary>
public sealed record GroupSummary(
    string Name,
    ulong Epoch,
    string? Primary,
    int Members,
    int MembersUp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    /// <summary><c>healthy</c>, <c>degraded</c> or <c>noprimary</c> (<see cref="GroupStates"/>); a group that did not answer is <c>degraded</c>.</summary>
    public string? State { get; init; }

    /// <summary>The group is in maintenance mode (<c>POST /groups/{name}/pause</c>): no automatic failover.</summary>
    public bool Paused { get; init; }

    /// <summary>When the pause ends by itself; absent when not paused or paused until resumed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? PausedUntil { get; init; }
}

/// <summary><c>GET /groups/{name}</c>.</summary>
/// <param name="NoPrimaryReason">Set when the group has no primary because no member that may become one is up (NoFailover, MaximumLagOnFailover).</param>
public sealed record GroupDetail(string Name, ulong Epoch, string? Primary, IReadOnlyList<MemberDetail> Members, string? NoPrimaryReason = null)
{
    /// <summary>The group is in maintenance mode (<c>POST /groups/{name}/pause</c>): no automatic failover.</summary>
    public bool Paused { get; init; }

    /// <summary>When the pause ends by itself; absent when not paused or paused until resumed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? PausedUntil { get; init; }
}

/// <summary>One member in <c>GET /groups/{name}</c>.</summary>
/// <param name="Role"><c>primary</c>, <c>replica</c>, <c>candidate</c>, or null when nobody has heard from it.</param>
/// <param name="LastSeenMsAgo">0 for a hosted member that answered just now; null when never heard.</param>
/// <param name="Up">Heard within down_after and, for a hosted data member, its data node answers.</param>
/// <param name="DataNodeHealthy">Hosted data members that answered: their data node answers probes; otherwise null.</param>
/// <param name="KnownPrimary">Who this member believes is primary (hosted members that answered).</param>
/// <param name="Silo">The silo a hosted member that answered runs on (Orleans' silo address); null otherwise.</param>
/// <param name="NoFailover">Configured never to become primary.</param>
/// <param name="Priority">Its configured priority (higher wins an offset tie among hosted voters).</param>
/// <param name="NotEligible">Hosted members that answered: why it may not become primary now; null when it may.</param>
public sealed record MemberDetail(
    string Id,
    string? Role,
    ulong? Epoch,
    ulong? Offset,
    long? LastSeenMsAgo,
    bool Up,
    bool Hosted,
    bool Witness,
    bool? DataNodeHealthy,
    string? KnownPrimary,
    string? Silo,
    bool NoFailover = false,
    int Priority = 0,
    string? NotEligible = null);

/// <summary><c>GET /groups/{name}/history</c>: newest first.</summary>
public sealed record GroupHistory(string Name, IReadOnlyList<ElectionEntry> Elections);

public sealed record ElectionEntry(ulong Epoch, string Primary, DateTimeOffset At);

/// <summary>The optional body of <c>POST /groups/{name}/pause</c>: an expiry, as a duration or a moment (not both).</summary>
public sealed record PauseRequest(long? ExpiresAfterSeconds, DateTimeOffset? Until);

/// <summary>The answer of <c>POST /groups/{name}/pause</c> and <c>/resume</c>.</summary>
/// <param name="Since">When the pause was set (UTC); null after a resume.</param>
/// <param name="Until">When it ends by itself (UTC); null: until resumed (or resumed now).</param>
public sealed record PauseStatus(string Group, bool Paused, DateTimeOffset? Since, DateTimeOffset? Until);

/// <summary>
/// The body of <c>PUT /groups/{name}</c>, in the configuration file's terms: <c>members</c> is kevy's member-list
/// string (<c>Peers</c> in the file), <c>hosted</c> and <c>witnesses</c> comma-separated ids, <c>kind</c> <c>kevy</c> or <c>redis</c>.
/// </summary>
public sealed record GroupPutRequest(string? Members, string? Hosted, string? Witnesses, string? Kind);

/// <summary>A group added by <c>PUT /groups/{name}</c>, as stored.</summary>
public sealed record GroupPutDone(string Name, string Members, string Hosted, string Witnesses, string Kind);

/// <summary>A group removed by <c>DELETE /groups/{name}</c>.</summary>
public sealed record GroupDeleted(string Name, bool Removed);

/// <summary>The optional body of <c>POST /groups/{name}/switchover</c>.</summary>
public sealed record SwitchoverRequest(string? Target);

/// <summary>A completed <c>POST /groups/{name}/switchover</c>.</summary>
public sealed record SwitchoverDone(string Group, string PreviousPrimary, string Primary, ulong Epoch, double TookMs);

/// <summary><c>GET /silos</c>: the cluster's silos, sorted by address.</summary>
public sealed record SiloList(IReadOnlyList<SiloEntry> Silos);

/// <summary>One silo in <c>GET /silos</c>.</summary>
/// <param name="Address">Orleans' silo address, as group status names it.</param>
/// <param name="Name">The silo's name.</param>
/// <param name="Status"><c>active</c>, <c>joining</c>, <c>shuttingdown</c>... (Orleans' membership status, lower case).</param>
/// <param name="Members">The hosted members active there (<c>group/member</c>), as their groups report them.</param>
public sealed record SiloEntry(string Address, string Name, string Status, IReadOnlyList<string> Members);

/// <summary><c>GET /groups/{name}/primary</c>: the primary and its data node's client address.</summary>
public sealed record PrimaryAddress(string Group, string Member, string Host, int Port, ulong Epoch);

/// <summary>
/// <c>GET /groups/{name}/members/{member}/primary</c> and <c>/replica</c>: 200 with <c>ok</c> true, else 503
/// with <c>reason</c>. <c>LagBytes</c> (replica checks) is how far the member's offset trails the primary's, when both are known.
/// </summary>
public sealed record RoleCheck(
    string Group,
    string Member,
    string Check,
    bool Ok,
    ulong Epoch,
    string? Primary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? LagBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);
