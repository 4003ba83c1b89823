using KevyOrleans.Abstractions;
using KevyOrleans.Election;

namespace KevyOrleans.Grains;

/// <summary>Who a switchover hands over to: the requested member, checked, or the best one that is up.</summary>
internal static class SwitchoverTarget
{
    /// <summary>A target, or why there is none (<paramref name="BadTarget"/>: the request names one that can never be).</summary>
    internal readonly record struct Choice(string? Target, string? Problem, bool BadTarget);

    /// <summary>
    /// The requested target, checked; or the hosted data replica, not NoFailover, that is up (<see cref="MemberHealth.IsUp"/>)
    /// and first in <see cref="CandidateOrder"/> (highest offset, ties: highest priority, then lowest id).
    /// </summary>
    public static Choice Choose(GroupDefinition group, GroupStatus status, string primary, string? requested)
    {
        if (!string.IsNullOrWhiteSpace(requested))
        {
            if (!group.Election.Members.Contains(requested))
            {
                return new(null, $"'{requested}' is not a member of group '{group.Name}'", true);
            }
            if (group.Election.IsWitness(requested))
            {
                return new(null, $"'{requested}' is a witness; it holds no data and never becomes primary", true);
            }
            if (group.Failover.IsNoFailover(requested))
            {
                return new(null, $"'{requested}' is NoFailover in group '{group.Name}'; it never becomes primary", true);
            }
            if (!group.IsHosted(requested))
            {
                return new(null, $"'{requested}' is an external kevy server; only hosted members can be told to take over", true);
            }
            if (requested == primary)
            {
                return new(null, $"'{requested}' is already the primary", true);
            }
            var m = status.Members.FirstOrDefault(x => x.Id == requested);
            return m is not null && m.IsUp()
                ? new(requested, null, false)
                : new(null, $"'{requested}' is not up; it cannot take over now", false);
        }
        GroupMemberStatus? best = null;
        foreach (var m in status.Members)
        {
            var p = group.Failover;
            if (m.Id != primary && m.Hosted && !m.IsWitness && !p.IsNoFailover(m.Id) && m.IsUp()
                && (best is null || CandidateOrder.Outranks(m.Offset ?? 0, p.Priority(m.Id), m.Id, best.Offset ?? 0, p.Priority(best.Id), best.Id)))
            {
                best = m;
            }
        }
        return best is null
            ? new(null, $"no hosted replica of group '{group.Name}' is up to take over", false)
            : new(best.Id, null, false);
    }
}
