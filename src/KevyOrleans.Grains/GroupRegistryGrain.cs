using KevyOrleans.Abstractions;

namespace KevyOrleans.Grains;

/// <summary>The durable record of the run-time groups.</summary>
[GenerateSerializer]
[Alias("kevy.group-registry-state")]
public sealed class GroupRegistryState
{
    /// <summary>Grows with every change, so a silo knows when to read the groups again.</summary>
    [Id(0)] public long Version { get; set; }

    /// <summary>The run-time groups by name.</summary>
    [Id(1)] public Dictionary<string, GroupSpec> Groups { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The registry of run-time groups (key 0), in the election's storage. It stores what the admin API
/// validated; each silo validates again when it applies a version (<c>GroupRegistrySync</c>), so a
/// definition this silo cannot run is logged and skipped there, never half-applied.
/// </summary>
internal sealed class GroupRegistryGrain(
    [PersistentState("registry", KevyStorageNames.ElectionState)] IPersistentState<GroupRegistryState> state) : Grain, IGroupRegistryGrain
{
    public Task<GroupRegistrySnapshot> Get() =>
        Task.FromResult(new GroupRegistrySnapshot(state.State.Version, [.. state.State.Groups.Values.OrderBy(g => g.Name, StringComparer.Ordinal)]));

    public Task<long> GetVersion() => Task.FromResult(state.State.Version);

    public async Task<bool> Add(GroupSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (state.State.Groups.TryGetValue(spec.Name, out var existing))
        {
            return existing == spec;
        }
        state.State.Groups[spec.Name] = spec;
        state.State.Version++;
        await WriteOrUndoAsync(() => state.State.Groups.Remove(spec.Name)).ConfigureAwait(true);
        return true;
    }

    public async Task<bool> Remove(string name)
    {
        if (!state.State.Groups.Remove(name, out var removed))
        {
            return false;
        }
        state.State.Version++;
        await WriteOrUndoAsync(() => state.State.Groups[name] = removed).ConfigureAwait(true);
        return true;
    }

    /// <summary>A failed write leaves memory as storage has it: nothing half-applied.</summary>
    private async Task WriteOrUndoAsync(Action undo)
    {
        try
        {
            await state.WriteStateAsync().ConfigureAwait(true);
        }
        catch
        {
            undo();
            state.State.Version--;
            throw;
        }
    }
}
