using KevyOrleans.Abstractions;
using KevyOrleans.Grains;

namespace KevyOrleans.Hosting;

/// <summary>How a run-time change of the groups ended.</summary>
public enum GroupChange
{
    /// <summary>Stored in the registry and served by this silo now (the same definition again included).</summary>
    Added,
    /// <summary>Removed from the registry and from this silo now; its members were told to leave.</summary>
    Removed,
    /// <summary>The definition breaks a rule of the configuration file; <see cref="GroupChangeOutcome.Errors"/> names each field. Nothing stored.</summary>
    Invalid,
    /// <summary>The group exists with another definition: a running group's members never change in place. Nothing stored.</summary>
    Conflict,
    /// <summary>The name is one of the configuration file's groups, which the file owns. Nothing stored.</summary>
    FileOwned,
    /// <summary>No run-time group of that name.</summary>
    Unknown,
}

/// <summary>The outcome of <see cref="GroupRegistryService.AddAsync"/> or <see cref="GroupRegistryService.RemoveAsync"/>.</summary>
/// <param name="Result">How it ended.</param>
/// <param name="Message">A sentence for the operator.</param>
/// <param name="Errors">For <see cref="GroupChange.Invalid"/>: every rule broken, keyed by the field (<c>Peers</c>, <c>Hosted</c>, ...).</param>
public sealed record GroupChangeOutcome(GroupChange Result, string Message, IReadOnlyList<ConfigurationError> Errors);

/// <summary>
/// Adds and removes run-time groups: checks a definition with the configuration file's rules
/// (<see cref="RuntimeGroups"/>), stores it in the cluster's registry grain, applies it on this silo at
/// once (<see cref="GroupRegistrySync"/>; the other silos within one supervisor interval), and starts or
/// stops the group's members. Removing leaves the data nodes as they are: a member that leaves sends its
/// data node nothing.
/// </summary>
public sealed class GroupRegistryService(IGrainFactory grains, KevySettings settings, RuntimeGroupCatalog catalog, GroupRegistrySync sync)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MemberTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Adds <paramref name="spec"/> to the cluster, or says why not; nothing is stored unless it is valid.</summary>
    public async Task<GroupChangeOutcome> AddAsync(GroupSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (catalog.IsFromFile(spec.Name))
        {
            return new(GroupChange.FileOwned, $"group '{spec.Name}' is defined in the configuration file, which owns it; change it there", []);
        }
        var (group, errors) = RuntimeGroups.Read(settings, catalog, spec);
        if (group is null)
        {
            return new(GroupChange.Invalid, string.Join("; ", errors.Select(e => e.Message)), errors);
        }
        if (!await Registry.Add(spec).WaitAsync(CallTimeout, cancellationToken).ConfigureAwait(false))
        {
            return new(GroupChange.Conflict, $"group '{spec.Name}' exists with another definition; a running group's members never change in place: " +
                "remove it, then add it again (its data nodes are left as they are)", []);
        }
        await sync.RefreshAsync(cancellationToken).ConfigureAwait(false);
        // Start the members now rather than at the supervisor's next round; one that does not answer starts then.
        await Task.WhenAll(group.Hosted.Select(m => BestEffortAsync(grains.GetGrain<IMemberGrain>(MemberKey.Format(spec.Name, m)).Ensure()))).ConfigureAwait(false);
        return new(GroupChange.Added, $"group '{spec.Name}' added", []);
    }

    /// <summary>Removes the run-time group <paramref name="name"/> from the cluster; the file's groups are not removed.</summary>
    public async Task<GroupChangeOutcome> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        if (catalog.IsFromFile(name))
        {
            return new(GroupChange.FileOwned, $"group '{name}' is defined in the configuration file, which owns it; remove it there", []);
        }
        var known = catalog.Find(name);
        if (!await Registry.Remove(name).WaitAsync(CallTimeout, cancellationToken).ConfigureAwait(false))
        {
            return new(GroupChange.Unknown, $"no group '{name}' was added at run time", []);
        }
        await sync.RefreshAsync(cancellationToken).ConfigureAwait(false);
        // Gone from this silo's catalog now: a member told to leave stops at once, and one that another silo
        // re-activates before it learns the change leaves at its first tick after (MemberGrain).
        await Task.WhenAll((known?.Hosted ?? []).Select(m => BestEffortAsync(grains.GetGrain<IMemberGrain>(MemberKey.Format(name, m)).Leave()))).ConfigureAwait(false);
        return new(GroupChange.Removed, $"group '{name}' removed; its data nodes are left as they are", []);
    }

    private IGroupRegistryGrain Registry => grains.GetGrain<IGroupRegistryGrain>(0);

    private static async Task BestEffortAsync(Task call)
    {
        try
        {
            await call.WaitAsync(MemberTimeout).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // best effort: the supervisor's rounds and the members' own ticks finish the job
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
