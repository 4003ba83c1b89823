using KevyOrleans.Election;
using KevyOrleans.Grains;
using Orleans.Storage;

namespace KevyOrleans.Cluster.Tests.Support;

/// <summary>
/// A member's record read straight from a grain storage provider, as a grain activation reads it.
/// Two of these over one record are two activations of one member.
/// </summary>
public sealed class GrainStorageMemberStore : IMemberStore
{
    private readonly IGrainStorage _storage;
    private readonly GrainId _grain;
    private readonly GrainState<MemberState> _state = new(new MemberState());

    private GrainStorageMemberStore(IGrainStorage storage, GrainId grain)
    {
        _storage = storage;
        _grain = grain;
    }

    public DurableRecord? Loaded { get; private set; }

    public static async Task<GrainStorageMemberStore> LoadAsync(IGrainStorage storage, GrainId grain)
    {
        var store = new GrainStorageMemberStore(storage, grain);
        await storage.ReadStateAsync("member", grain, store._state).ConfigureAwait(false);
        store.Loaded = store._state.RecordExists ? store._state.State!.ToRecord() : null;
        return store;
    }

    public Task CommitAsync(DurableRecord record, CancellationToken cancellationToken)
    {
        _state.State = MemberState.From(record);
        return _storage.WriteStateAsync("member", _grain, _state);
    }
}

/// <summary>Collects what a member released.</summary>
public sealed class RecordingOutbox : IMemberOutbox
{
    public List<(string To, KevyOrleans.Protocol.ElectionMessage Message)> Sent { get; } = [];

    public void Deliver(string to, in KevyOrleans.Protocol.ElectionMessage message) => Sent.Add((to, message));

    public void ReportElection(KevyOrleans.Abstractions.ElectionRecord record) { }
}
