using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Hosting;

/// <summary><c>Kevy:Groups:N:Members</c> and <c>MaximumLagOnFailover</c>: who may become primary in one group.</summary>
internal static class FailoverReader
{
    /// <summary>The group's failover policy, or null after adding an error per problem (each naming its key).</summary>
    public static FailoverPolicy? Read(KevyGroupOptions g, ElectionGroup group, string key, List<ConfigurationError> errors)
    {
        var before = errors.Count;
        var members = new Dictionary<string, MemberFailover>(StringComparer.Ordinal);
        for (var i = 0; i < g.Members.Count; i++)
        {
            var m = g.Members[i];
            var at = $"{key}:Members:{i}";
            if (!group.Members.Contains(m.Id))
            {
                errors.Add(new($"{at}:Id", m.Id, $"{at}:Id: '{m.Id}' is not in the member list '{g.Peers}'"));
                continue;
            }
            if (!members.TryAdd(m.Id, new MemberFailover(m.NoFailover, m.Priority)))
            {
                errors.Add(new($"{at}:Id", m.Id, $"{at}:Id: member '{m.Id}' has two entries in {key}:Members"));
                continue;
            }
            if (m.Priority is < FailoverPolicy.MinimumPriority or > FailoverPolicy.MaximumPriority)
            {
                errors.Add(new($"{at}:Priority", m.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"{at}:Priority is {m.Priority}; a priority is {FailoverPolicy.MinimumPriority} to {FailoverPolicy.MaximumPriority} (higher is preferred at an offset tie)"));
            }
            if (group.IsWitness(m.Id) && (m.NoFailover || m.Priority != FailoverPolicy.MinimumPriority))
            {
                errors.Add(new($"{at}:Id", m.Id, $"{at}: '{m.Id}' is a witness: it never becomes primary, so NoFailover and Priority mean nothing for it; remove the entry"));
            }
        }
        if (g.MaximumLagOnFailover is < 0)
        {
            errors.Add(new($"{key}:MaximumLagOnFailover", g.MaximumLagOnFailover.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{key}:MaximumLagOnFailover is {g.MaximumLagOnFailover}; it must be 0 or more bytes (leave it out for no limit)"));
        }
        if (errors.Count > before)
        {
            return null;
        }
        var policy = new FailoverPolicy { Members = members, MaximumLag = g.MaximumLagOnFailover is { } lag ? (ulong)lag : null };
        if (policy.Problems(group).Count > 0)
        {
            // What is left after the per-entry checks: no data member may ever become primary.
            errors.Add(new($"{key}:Members", null, $"{key}:Members: every data member of group '{g.Name}' is NoFailover, so none could ever become primary; " +
                "let at least one data member fail over"));
            return null;
        }
        return policy;
    }
}
