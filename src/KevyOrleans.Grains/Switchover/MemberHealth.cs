using KevyOrleans.Abstractions;

namespace KevyOrleans.Grains;

/// <summary>
/// The one rule for "up" that the admin API (and so the status page, which renders its <c>up</c>
/// field) and switchover share.
/// </summary>
public static class MemberHealth
{
    /// <summary>
    /// Up means the group can count on it: heard within down_after and, for a hosted data member,
    /// its data node answers (a member whose data node is silent sends no heartbeats, so its peers
    /// already see it down although its grain still answers).
    /// </summary>
    public static bool IsUp(this GroupMemberStatus member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.Reachable && member.DataNodeHealthy != false;
    }
}
