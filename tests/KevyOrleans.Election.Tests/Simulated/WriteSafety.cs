using KevyOrleans.Election;

namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>
/// S6, write safety over time: the lease rule's promise (rules 8, 10 and 13). Checked only in
/// schedules whose network loses no frame and delivers every frame within <c>MaxDelay</c>, which is
/// below hb_interval (the assumption of rule 8); partitions, one-way cuts, crashes, orphaned data
/// nodes, failing storage, dead data nodes, hostile frames and switchovers all still happen there.
/// <para>
/// The exact statement. Say a member is <em>conflicting</em> at an instant when (a) its elector
/// intends an unfenced primary (<see cref="DataNodeIntent.Primary"/>) at epoch a while another
/// member's elector intends an unfenced primary at an epoch above a, or follows a primary known at an
/// epoch above a; or (b) its data node accepts client writes (<see cref="DataPlane.AcceptsWrites"/>) at
/// a data step while another member's data node does too. S6 is violated when a member stays
/// conflicting for longer than a grace (for (a) hb_interval + MaxDelay: the newer epoch's next
/// heartbeat or the announcement reaching the older primary; for (b) that plus
/// <see cref="DataNode.MaxLag"/> plus one data step, the time Redis takes to stop counting a replica
/// that moved to the new primary), unless the member's process was paused within down_after before
/// the conflict began or is paused now: a paused process is unbounded delay, the one thing the lease
/// cannot survive (its data node keeps writing). A member whose process crashed is not excused: its
/// data node is an orphan, and <c>min-replicas-to-write</c> must stop it (rule 13).
/// </para>
/// </summary>
internal sealed class WriteSafety(Simulation sim)
{
    private readonly Dictionary<string, TimeSpan> _intentConflictSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _dataConflictSince = new(StringComparer.Ordinal);
    private readonly List<(string Id, ulong Epoch)> _primaries = [];

    public TimeSpan IntentGrace => sim.Timings.HeartbeatInterval + sim.Network.MaxDelay;

    public TimeSpan DataGrace => IntentGrace + DataNode.MaxLag + DataPlane.StepInterval;

    /// <summary>After every step of any member: part (a).</summary>
    public void CheckIntents()
    {
        var now = sim.Now;
        _primaries.Clear();
        foreach (var n in sim.Nodes)
        {
            if (n.Elector is { Intent: DataNodeIntent.Primary } e)
            {
                _primaries.Add((n.Id, e.Epoch));
            }
        }
        if (_primaries.Count == 0)
        {
            _intentConflictSince.Clear();
            return;
        }
        var lowest = _primaries.MinBy(p => p.Epoch);
        string? newer = _primaries.FirstOrDefault(p => p.Epoch > lowest.Epoch).Id;
        if (newer is null)
        {
            foreach (var n in sim.Nodes)
            {
                if (n.Elector is { } e && e.Epoch > lowest.Epoch && e.KnownPrimary is { } p && p != lowest.Id && p != n.Id
                    && e.GetStatus(n.Local(now)).KnownPrimaryEpoch > lowest.Epoch)
                {
                    newer = $"{n.Id} (follows {p})";
                    break;
                }
            }
        }
        if (newer is null)
        {
            _intentConflictSince.Clear();
            return;
        }
        Track(_intentConflictSince, [lowest.Id], now, IntentGrace,
            $"{lowest.Id} intends an unfenced primary at epoch {lowest.Epoch} while {newer} is at a newer epoch");
    }

    /// <summary>At every data step: part (b).</summary>
    public void OnWritableMasters(IReadOnlyList<string> writable, TimeSpan now)
    {
        if (writable.Count < 2)
        {
            _dataConflictSince.Clear();
            return;
        }
        Track(_dataConflictSince, writable, now, DataGrace, $"data nodes {string.Join(", ", writable)} all accept writes");
    }

    private void Track(Dictionary<string, TimeSpan> since, IReadOnlyList<string> conflicting, TimeSpan now, TimeSpan grace, string what)
    {
        foreach (var id in since.Keys.Where(k => !conflicting.Contains(k)).ToList())
        {
            since.Remove(id);
        }
        foreach (var id in conflicting)
        {
            if (!since.TryGetValue(id, out var start))
            {
                since[id] = start = now;
            }
            // The lease's assumption broke for a member in the conflict (unbounded delay): not counted.
            var excused = conflicting.Any(c => sim[c].PausedUntil > now || sim[c].PausedUntil > start - sim.Timings.DownAfter);
            if (!excused && now - start > grace)
            {
                SafetyChecker.Fail("S6", $"{what} for {(now - start).TotalMilliseconds:0} ms (grace {grace.TotalMilliseconds:0} ms)");
            }
        }
    }
}
