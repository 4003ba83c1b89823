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
}
