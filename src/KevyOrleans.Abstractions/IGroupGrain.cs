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
}
