namespace KevyOrleans.Grains.Placement;

/// <summary>
/// Where a group's hosted members should live, as a pure function of the silos and the group (no
/// Orleans, no I/O), so both the placement director and the rebalancing check decide the same way.
/// <para>Silos are ordered by their address string (every silo sorts alike). A member's preferred slot is
/// <c>(its index among the group's hosted members + the group's offset) mod silo count</c>: the members of
/// one group take consecutive slots, so they are on distinct silos whenever there are enough, and the
/// per-group offset (a stable hash of the name) starts different groups on different silos.</para>
/// </summary>
public static class SpreadPlan
{
    /// <summary>The index of <paramref name="member"/> among the hosted members of <paramref name="group"/>, in member-list order; -1 when not hosted.</summary>
    public static int HostedIndex(GroupDefinition group, string member)
    {
        ArgumentNullException.ThrowIfNull(group);
        var index = 0;
        foreach (var m in group.Election.Members)
        {
            if (!group.IsHosted(m.Id))
            {
                continue;
            }
            if (m.Id == member)
            {
                return index;
            }
            index++;
        }
        return -1;
    }

    /// <summary>A hash of the group name that is the same in every process (string.GetHashCode is not): FNV-1a over its UTF-16 code units.</summary>
    public static uint GroupOffset(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var hash = 2166136261u;
        foreach (var c in group)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }
        return hash;
    }

    /// <summary>The slot (an index into the sorted silos) that <paramref name="member"/> of <paramref name="group"/> prefers among <paramref name="siloCount"/> silos.</summary>
    public static int PreferredSlot(GroupDefinition group, string member, int siloCount)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfLessThan(siloCount, 1);
        var index = Math.Max(0, HostedIndex(group, member));
        return (int)(((ulong)GroupOffset(group.Name) + (ulong)index) % (ulong)siloCount);
    }

    /// <summary>
    /// Whether the member on <paramref name="here"/> should make way, and where to: it shares its silo with
    /// a member of its group that stays (the primary, or a member with a lower hosted index), and some silo
    /// hosts no member of the group. The target is the first such free silo at or after the member's
    /// preferred slot. The primary never moves (a moved primary restarts as a replica: an election).
    /// Null: stay.
    /// </summary>
    /// <param name="group">The member's group.</param>
    /// <param name="member">The member deciding.</param>
    /// <param name="isPrimary">Whether the member is primary (or a candidate): then it stays.</param>
    /// <param name="knownPrimary">The primary the member follows, if any.</param>
    /// <param name="here">The silo the member is active on.</param>
    /// <param name="silos">The active silos, in any order.</param>
    /// <param name="peers">Where the group's other hosted members are active (a member not active anywhere is left out).</param>
    public static string? MoveTarget(GroupDefinition group, string member, bool isPrimary, string? knownPrimary, string here,
        IReadOnlyCollection<string> silos, IReadOnlyDictionary<string, string> peers)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(silos);
        ArgumentNullException.ThrowIfNull(peers);
        if (isPrimary || silos.Count < 2)
        {
            return null;
        }
        var self = HostedIndex(group, member);
        var crowded = peers.Any(p => p.Value == here && (p.Key == knownPrimary || HostedIndex(group, p.Key) < self));
        if (!crowded)
        {
            return null;
        }
        var sorted = Sort(silos);
        var occupied = new HashSet<string>(peers.Values, StringComparer.Ordinal);
        var start = PreferredSlot(group, member, sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            var candidate = sorted[(start + i) % sorted.Count];
            if (candidate != here && !occupied.Contains(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The silos in the order every silo agrees on: ordinal by address string.</summary>
    public static List<string> Sort(IEnumerable<string> silos)
    {
        var sorted = new List<string>(silos);
        sorted.Sort(StringComparer.Ordinal);
        return sorted;
    }
}
