using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

// Who may become primary (issue 15, item 2) in the random schedules: half of them run under a random
// failover policy (NoFailover members, priorities, a lag limit), drawn from a random stream of its own
// so the other half replay exactly as before.
internal static partial class RandomSchedule
{
    /// <summary>Unrestricted for half of the seeds; otherwise random NoFailover members (never all), priorities and a lag limit.</summary>
    public static FailoverPolicy DrawPolicy(ElectionGroup group, int seed)
    {
        var rng = new Random(unchecked((seed * 7919) + 104_729));
        if (rng.NextDouble() < 0.5)
        {
            return FailoverPolicy.Unrestricted;
        }
        var data = group.Members.Where(m => !group.IsWitness(m.Id)).Select(m => m.Id).ToList();
        var members = new Dictionary<string, MemberFailover>(StringComparer.Ordinal);
        foreach (var id in data)
        {
            var noFailover = rng.NextDouble() < 0.3;
            var priority = rng.NextDouble() < 0.4 ? rng.Next(1, 4) * 10 : FailoverPolicy.MinimumPriority;
            if (noFailover || priority != FailoverPolicy.MinimumPriority)
            {
                members[id] = new MemberFailover(noFailover, priority);
            }
        }
        if (data.All(id => members.TryGetValue(id, out var m) && m.NoFailover))
        {
            var keep = data[rng.Next(data.Count)];
            members[keep] = members[keep] with { NoFailover = false };
        }
        return new FailoverPolicy
        {
            Members = members,
            MaximumLag = rng.NextDouble() < 0.4 ? (ulong)rng.Next(0, 30) : null,
        };
    }

    /// <summary>
    /// No primary after healing is right only when the lag limit forbids every eligible member: the
    /// most advanced of them is further behind the most advanced data node than the limit (every member
    /// is up, so each one's best known offset is that node's). Null when the group must have a primary.
    /// </summary>
    public static string? NoPrimaryByDesign(Simulation sim)
    {
        if (sim.Failover.MaximumLag is not { } limit || sim.Nodes.Any(n => n.Elector?.Role == Role.Primary))
        {
            return null;
        }
        var data = sim.Nodes.Where(n => !sim.Group.IsWitness(n.Id)).ToList();
        var best = data.Max(n => n.Data.Offset);
        var bestEligible = data.Where(n => !sim.Failover.IsNoFailover(n.Id)).Max(n => n.Data.Offset);
        return best - bestEligible > limit
            ? $"every eligible member is more than MaximumLagOnFailover {limit} behind offset {best} (best eligible {bestEligible})"
            : null;
    }

    /// <summary>Schedules that ran under a policy restricting who may become primary.</summary>
    public static bool Restricted(Simulation sim) => !ReferenceEquals(sim.Failover, FailoverPolicy.Unrestricted);
}
