using KevyOrleans.Abstractions;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>
/// A group: its election history (durable, append-only, alarmed on two primaries for one epoch), its
/// maintenance mode (durable, pushed to its hosted members) and its status, aggregated from its hosted
/// members. Members call it one-way; it may await them.
/// </summary>
internal sealed class GroupGrain(
    [PersistentState("history", KevyStorageNames.ElectionState)] IPersistentState<GroupHistoryState> history,
    IGroupCatalog catalog,
    ILogger<GroupGrain> logger,
    KevyMetrics metrics,
    TimeProvider time) : Grain, IGroupGrain
{
    private static readonly TimeSpan MemberStatusTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How many of the newest elections a detailed overview carries.</summary>
    internal const int OverviewElections = 20;

    private readonly LagHistory _lags = new();

    private string Name => this.GetPrimaryKeyString();

    public async Task RecordElection(ElectionRecord record)
    {
        var elections = history.State.Elections;
        if (elections.Exists(e => e.Epoch == record.Epoch && e.Primary == record.Primary))
        {
            return; // the same news twice, in whatever order it arrives
        }
        if (elections.Find(e => e.Epoch == record.Epoch) is { } other)
        {
            Log.HistoryConflict(logger, Name, record.Epoch, other.Primary, record.Primary);
            metrics.Conflict(Name, "history");
        }
        elections.Add(record); // kept even when conflicting: it is the evidence
        if (elections.Count > GroupHistoryState.MaxEntries)
        {
            elections.RemoveRange(0, elections.Count - GroupHistoryState.MaxEntries);
        }
        await history.WriteStateAsync().ConfigureAwait(true);
    }

    public Task<IReadOnlyList<ElectionRecord>> GetHistory() =>
        Task.FromResult<IReadOnlyList<ElectionRecord>>([.. history.State.Elections]);

    public async Task<GroupOverview> GetOverview(bool detailed)
    {
        var status = await GetStatus().ConfigureAwait(true);
        var elections = history.State.Elections;
        var hourAgo = time.GetUtcNow() - TimeSpan.FromHours(1);
        var lastHour = elections.Count(e => e.At >= hourAgo);
        var last = elections.Count == 0 ? (DateTimeOffset?)null : elections.Max(e => e.At);
        return detailed
            ? new GroupOverview(status, lastHour, last, [.. Enumerable.Reverse(elections).Take(OverviewElections)], _lags.Snapshot())
            : new GroupOverview(status, lastHour, last, [], []);
    }

    public async Task<GroupPause> Pause(DateTimeOffset? until)
    {
        var pause = new GroupPause(time.GetUtcNow(), until);
        history.State.Pause = pause;
        await history.WriteStateAsync().ConfigureAwait(true);
        PauseLog.GroupPaused(logger, Name, until is { } u ? PauseLog.Describe(u) : "resumed");
        TellMembers(pause);
        return pause;
    }

    public async Task Resume()
    {
        if (history.State.Pause is null)
        {
            TellMembers(null); // nothing stored to change; a member that missed the last resume hears it again
            return;
        }
        history.State.Pause = null;
        await history.WriteStateAsync().ConfigureAwait(true);
        PauseLog.GroupResumed(logger, Name);
        TellMembers(null);
    }

    public Task<GroupPause?> GetPause() => Task.FromResult(PauseInForce);

    public Task SendPauseTo(string member)
    {
        if (catalog.Find(Name) is { } group && group.IsHosted(member))
        {
            GrainFactory.GetGrain<IMemberGrain>(MemberKey.Format(Name, member)).SetPause(PauseInForce).Ignore();
        }
        return Task.CompletedTask;
    }

    private GroupPause? PauseInForce => history.State.Pause is { } p && p.InForceAt(time.GetUtcNow()) ? p : null;

    /// <summary>One-way to every hosted member; one that misses it asks again (<see cref="SendPauseTo"/>) within its refresh interval.</summary>
    private void TellMembers(GroupPause? pause)
    {
        if (catalog.Find(Name) is not { } group)
        {
            return;
        }
        foreach (var id in group.Hosted)
        {
            GrainFactory.GetGrain<IMemberGrain>(MemberKey.Format(Name, id)).SetPause(pause).Ignore();
        }
    }

    public async Task<GroupStatus> GetStatus()
    {
        var group = catalog.Find(Name) ?? throw new InvalidOperationException($"no group '{Name}' is configured");
        var snapshots = new Dictionary<string, MemberSnapshot>(StringComparer.Ordinal);
        foreach (var id in group.Hosted)
        {
            try
            {
                var s = await GrainFactory.GetGrain<IMemberGrain>(MemberKey.Format(Name, id)).GetStatus().WaitAsync(MemberStatusTimeout).ConfigureAwait(true);
                snapshots[id] = s;
            }
#pragma warning disable CA1031 // an unreachable member is reported as such, not as an error of the whole status
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
        var members = group.Election.Members.Select(m => Describe(group, m.Id, snapshots)).ToList();
        var epoch = snapshots.Values.Select(s => s.Epoch).DefaultIfEmpty(0UL).Max();
        var primary = snapshots.Values.Where(s => s.Role == Role.Primary).OrderByDescending(s => s.Epoch).FirstOrDefault()?.Member
            ?? snapshots.Values.Where(s => s.KnownPrimary is not null).OrderByDescending(s => s.Epoch).FirstOrDefault()?.KnownPrimary;
        var status = new GroupStatus(Name, epoch, primary, members) { NoPrimaryReason = NoPrimaryReason(members, snapshots), Pause = PauseInForce };
        _lags.Record(status, time.GetUtcNow());
        return status;
    }

    /// <summary>No member is up as primary, and every hosted member that answered sees none up that may become one.</summary>
    private static string? NoPrimaryReason(List<GroupMemberStatus> members, Dictionary<string, MemberSnapshot> snapshots) =>
        snapshots.Count > 0 && !members.Any(m => m.Role == Role.Primary && m.IsUp()) && snapshots.Values.All(s => s.EligibleMembersUp == 0)
            ? "no member that may become primary is up (NoFailover, or further behind than MaximumLagOnFailover): the group has no primary until one returns"
            : null;

    private static GroupMemberStatus Describe(GroupDefinition group, string id, Dictionary<string, MemberSnapshot> snapshots) =>
        DescribeState(group, id, snapshots) with
        {
            NoFailover = group.Failover.IsNoFailover(id),
            Priority = group.Failover.Priority(id),
            NotEligible = snapshots.TryGetValue(id, out var own) ? own.NotEligible : null,
        };

    private static GroupMemberStatus DescribeState(GroupDefinition group, string id, Dictionary<string, MemberSnapshot> snapshots)
    {
        var witness = group.Election.IsWitness(id);
        if (snapshots.TryGetValue(id, out var own))
        {
            return new GroupMemberStatus(id, true, witness, own.Role, own.Epoch, own.Offset, true, HeardByPeers(id, snapshots), own.KnownPrimary)
            {
                DataNodeHealthy = witness ? null : own.DataNodeHealthy,
                Silo = own.Silo,
            };
        }
        // Not hosted or not answering: the freshest view any hosted member has of it.
        var seen = snapshots.Values.SelectMany(s => s.Peers).Where(p => p.Id == id).OrderBy(p => p.SinceLastSeenMs ?? double.MaxValue).FirstOrDefault();
        return new GroupMemberStatus(id, group.IsHosted(id), witness, seen?.Role, seen?.Epoch, seen?.Offset, seen?.IsUp ?? false, seen?.SinceLastSeenMs, null);
    }

    /// <summary>
    /// How long ago the group last heard a hosted member that answered: the freshest view its hosted
    /// peers have of its heartbeats (null: none of them ever heard it). Its grain answering says
    /// little on its own: a member whose data node is silent answers calls but sends no heartbeats.
    /// A member with no hosted peer to ask answered just now: 0.
    /// </summary>
    private static double? HeardByPeers(string id, Dictionary<string, MemberSnapshot> snapshots)
    {
        var views = snapshots.Values.Where(s => s.Member != id).SelectMany(s => s.Peers).Where(p => p.Id == id).ToList();
        return views.Count == 0 ? 0 : views.Min(p => p.SinceLastSeenMs);
    }
}
