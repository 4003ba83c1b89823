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
}
