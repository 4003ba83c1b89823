using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>
/// Who may become primary (issue 15, item 2): per member <see cref="MemberFailover.NoFailover"/> and
/// <see cref="MemberFailover.Priority"/>, per group <see cref="MaximumLag"/>. Static configuration that
/// every hosted member of the group holds alike; nothing of it travels on the wire, so external kevy
/// members keep kevy's own rule (src/README.md, "Who may become primary").
/// </summary>
public sealed record FailoverPolicy
{
    /// <summary>The lowest priority a member may be given (and every member's default).</summary>
    public const int MinimumPriority = 0;

    /// <summary>The highest priority a member may be given.</summary>
    public const int MaximumPriority = 1000;

    /// <summary>No member is held back, every priority is equal, no lag limit: kevy's own rule.</summary>
    public static FailoverPolicy Unrestricted { get; } = new();

    /// <summary>The members with a setting of their own; a member not listed has the defaults.</summary>
    public IReadOnlyDictionary<string, MemberFailover> Members { get; init; } = new Dictionary<string, MemberFailover>(StringComparer.Ordinal);

    /// <summary>
    /// Bytes behind the best known offset beyond which a hosted member does not run; null = no limit.
    /// The best known offset is the highest of the member's own, every data member it heard within
    /// down_after, and the last one its failed primary reported.
    /// </summary>
    public ulong? MaximumLag { get; init; }

    /// <summary>True when <paramref name="id"/> must never become primary.</summary>
    public bool IsNoFailover(string id) => Members.TryGetValue(id, out var m) && m.NoFailover;

    /// <summary>The priority of <paramref name="id"/>: among candidates with the same offset, the higher one is preferred.</summary>
    public int Priority(string id) => Members.TryGetValue(id, out var m) ? m.Priority : MinimumPriority;

    /// <summary>
    /// The problems of this policy for <paramref name="group"/>, one sentence each; empty when it is valid:
    /// an unknown member, a priority out of range, a setting on a witness (it never runs anyway), or a
    /// group in which no data member may ever become primary.
    /// </summary>
    public IReadOnlyList<string> Problems(ElectionGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var problems = new List<string>();
        foreach (var (id, m) in Members)
        {
            if (!group.Members.Contains(id))
            {
                problems.Add($"'{id}' is not in the member list '{group.Members}'");
            }
            else if (group.IsWitness(id) && (m.NoFailover || m.Priority != MinimumPriority))
            {
                problems.Add($"'{id}' is a witness: it never becomes primary, so NoFailover and Priority mean nothing for it");
            }
            if (m.Priority is < MinimumPriority or > MaximumPriority)
            {
                problems.Add($"'{id}' has priority {m.Priority}; a priority is {MinimumPriority} to {MaximumPriority} (higher is preferred)");
            }
        }
        if (group.Members.All(m => group.IsWitness(m.Id) || IsNoFailover(m.Id)))
        {
            problems.Add("every data member is NoFailover: no member of the group could ever become primary");
        }
        return problems;
    }
}

/// <summary>One member's failover settings.</summary>
/// <param name="NoFailover">The member never runs for primary (Sentinel's replica-priority 0, Patroni's nofailover).</param>
/// <param name="Priority">Among candidates with the same offset, hosted voters prefer the higher priority.</param>
public sealed record MemberFailover(bool NoFailover = false, int Priority = FailoverPolicy.MinimumPriority);
