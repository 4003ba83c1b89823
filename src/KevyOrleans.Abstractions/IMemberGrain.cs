using KevyOrleans.Protocol;
using Orleans.Concurrency;

namespace KevyOrleans.Abstractions;

/// <summary>
/// One hosted member of one group, keyed <c>"{group}/{node}"</c> (<see cref="MemberKey"/>).
/// It holds the member's elector, its durable epoch and vote, and drives its data node.
/// </summary>
public interface IMemberGrain : IGrainWithStringKey
{
    /// <summary>A frame for this member. One-way, like the wire: members never await each other.</summary>
    [OneWay]
    Task Deliver(ElectionMessage message);

    /// <summary>
    /// Rule 14: the hosted member <paramref name="member"/> of this group says its data node is certainly dead
    /// (connection refused), as of its epoch <paramref name="epoch"/>, when it was primary or not. One-way.
    /// </summary>
    [OneWay]
    Task PeerDataNodeDead(string member, ulong epoch, bool wasPrimary);

    /// <summary>Rule 14: this member's death watch saw its own data node refuse a connection. One-way.</summary>
    [OneWay]
    Task OwnDataNodeDead();

    /// <summary>Makes sure the member is active and heartbeating (the supervisor calls this).</summary>
    Task Ensure();

    /// <summary>A snapshot of this member's elector and data node.</summary>
    Task<MemberSnapshot> GetStatus();

    /// <summary>
    /// A planned switchover to <paramref name="target"/>: every hosted member of the group gets the
    /// same plan; it lapses after <paramref name="within"/>. Awaited by the admin API, never by a member.
    /// </summary>
    Task PlanHandover(string target, TimeSpan within);

    /// <summary>The group's maintenance mode as its group grain holds it (null: not paused). One-way: the group grain never waits on a member for this.</summary>
    [OneWay]
    Task SetPause(GroupPause? pause);

    /// <summary>The member's group was removed at run time: it stops at once (sending its data node nothing) and deactivates.</summary>
    Task Leave();
}
