using Orleans.Concurrency;

namespace KevyOrleans.Abstractions;

/// <summary>One group, keyed by its name: its aggregated status and its election history.</summary>
public interface IGroupGrain : IGrainWithStringKey
{
    /// <summary>The group's status, aggregated from its hosted members.</summary>
    Task<GroupStatus> GetStatus();

    /// <summary>Appends an election to the history. One-way: a member never waits on its group.</summary>
    [OneWay]
    Task RecordElection(ElectionRecord record);

    /// <summary>The elections recorded for this group in the order they arrived, at most the latest GroupHistoryState.MaxEntries.</summary>
    Task<IReadOnlyList<ElectionRecord>> GetHistory();

    /// <summary>
    /// The status and the election counts a fleet view shows, in one call (it also takes a lag
    /// sample, as <see cref="GetStatus"/> does). With <paramref name="detailed"/>, also the newest
    /// elections and the lag samples the group keeps in memory.
    /// </summary>
    Task<GroupOverview> GetOverview(bool detailed);

    /// <summary>
    /// Puts the group in maintenance mode (see <see cref="GroupPause"/>) until <paramref name="until"/>
    /// (null: until resumed), durably, and tells every hosted member. Pausing again replaces the expiry.
    /// </summary>
    Task<GroupPause> Pause(DateTimeOffset? until);

    /// <summary>Ends maintenance mode, durably, and tells every hosted member. Resuming a group that is not paused changes nothing.</summary>
    Task Resume();

    /// <summary>
    /// The pause in force, or null. Interleaved: it reads memory only, so it answers even while this grain
    /// awaits its members' status.
    /// </summary>
    [AlwaysInterleave]
    Task<GroupPause?> GetPause();

    /// <summary>A member asks to be told the pause again (<see cref="IMemberGrain.SetPause"/>); one-way, the answer comes one-way too.</summary>
    [OneWay]
    Task SendPauseTo(string member);
}
