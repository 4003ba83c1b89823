using KevyOrleans.Abstractions;

namespace KevyOrleans.Grains.Placement;

/// <summary>
/// The rebalancing check of one member: when it shares its silo with a member of its group that stays
/// (<see cref="SpreadPlan.MoveTarget"/>), the silo it should move to. Peers on this silo are known from
/// <see cref="LocalMembers"/> (no look-up); only then are the others located, through the management
/// grain's directory look-up, to find a silo that hosts none of the group.
/// </summary>
/// <param name="grains">The silo's grain factory (the management grain, the peers' references).</param>
/// <param name="membership">The cluster's active silos.</param>
/// <param name="local">This silo's address.</param>
/// <param name="locals">The members active on this silo.</param>
public sealed class MemberRebalancer(IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails local, LocalMembers locals)
{
    /// <summary>The silo <paramref name="member"/> should move to, or null when it should stay.</summary>
    /// <param name="group">The member's group.</param>
    /// <param name="member">The member checking.</param>
    /// <param name="isPrimary">Whether it is primary or a candidate: then it stays.</param>
    /// <param name="knownPrimary">The primary it follows, if any: a member that shares a silo with it makes way.</param>
    public async Task<SiloAddress?> CheckAsync(GroupDefinition group, string member, bool isPrimary, string? knownPrimary)
    {
        if (isPrimary || !group.Hosted.Any(p => p != member && locals.Contains(MemberKey.Format(group.Name, p))))
        {
            return null; // the primary stays; a member alone on its silo of its group is where it should be
        }
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        if (active.Count < 2)
        {
            return null;
        }
        var here = local.SiloAddress.ToString();
        var management = grains.GetGrain<IManagementGrain>(0);
        var peers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var peer in group.Hosted)
        {
            var key = MemberKey.Format(group.Name, peer);
            if (peer == member)
            {
                continue;
            }
            if (locals.Contains(key))
            {
                peers[peer] = here;
                continue;
            }
            var at = await management.GetActivationAddress(grains.GetGrain<IMemberGrain>(key)).ConfigureAwait(true);
            if (at is not null && active.Contains(at))
            {
                peers[peer] = at.ToString();
            }
        }
        var target = SpreadPlan.MoveTarget(group, member, isPrimary, knownPrimary, here, [.. active.Select(s => s.ToString())], peers);
        return target is null ? null : active.First(s => s.ToString() == target);
    }
}
