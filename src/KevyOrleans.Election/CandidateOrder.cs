using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>
/// The best-candidate order of the election (PROTOCOL.md): the higher replication offset first,
/// an offset tie to the lower id (byte-wise, <see cref="NodeId.Compare"/>). The elector decides
/// whether it runs by it, and a switchover that names no target picks by it, so both agree on who
/// should take over.
/// </summary>
public static class CandidateOrder
{
    /// <summary>Whether the member (<paramref name="offset"/>, <paramref name="id"/>) comes before (<paramref name="otherOffset"/>, <paramref name="otherId"/>).</summary>
    public static bool Outranks(ulong offset, string id, ulong otherOffset, string otherId) =>
        offset > otherOffset || (offset == otherOffset && NodeId.Compare(id, otherId) < 0);

    /// <summary>
    /// The order hosted members apply (issue 15): the higher offset first, an offset tie to the higher
    /// priority, then to the lower id. With equal priorities it is kevy's order.
    /// </summary>
    public static bool Outranks(ulong offset, int priority, string id, ulong otherOffset, int otherPriority, string otherId) =>
        offset > otherOffset
        || (offset == otherOffset && (priority > otherPriority || (priority == otherPriority && NodeId.Compare(id, otherId) < 0)));
}
