using Orleans.Concurrency;

namespace KevyOrleans.Abstractions;

/// <summary>One group, keyed by its name: its aggregated status and its election history.</summary>
public interface IGroupGrain : IGrainWithStringKey
{
    Task<GroupStatus> GetStatus();

    /// <summary>Appends an election to the history. One-way: a member never waits on its group.</summary>
    [OneWay]
    Task RecordElection(ElectionRecord record);

    Task<IReadOnlyList<ElectionRecord>> GetHistory();
}
