using KevyOrleans.Election;

namespace KevyOrleans.Grains;

/// <summary>A member's record in Orleans grain storage (ETag-checked by the provider).</summary>
internal sealed class PersistentStateMemberStore(IPersistentState<MemberState> state) : IMemberStore
{
    public DurableRecord? Loaded { get; } = state.RecordExists ? state.State.ToRecord() : null;

    public Task CommitAsync(DurableRecord record, CancellationToken cancellationToken)
    {
        state.State = MemberState.From(record);
        return state.WriteStateAsync(cancellationToken);
    }
}
