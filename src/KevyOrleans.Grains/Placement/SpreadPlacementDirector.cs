using Orleans.Runtime.Placement;

namespace KevyOrleans.Grains.Placement;

/// <summary>
/// Places a member grain on its preferred silo (<see cref="SpreadPlan.PreferredSlot"/>) among the
/// compatible silos, sorted alike on every silo. A placement hint wins (a planned move names its target).
/// Pure arithmetic over the silo list: no directory look-ups on the activation path.
/// </summary>
/// <param name="catalog">The configured groups: a member's index within its group.</param>
public sealed class SpreadPlacementDirector(IGroupCatalog catalog) : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint)
        {
            return Task.FromResult(hint);
        }
        return Task.FromResult(Choose(catalog, target.GrainIdentity.Key.ToString(), silos));
    }

    /// <summary>The silo <paramref name="key"/> (a member grain key) goes to among <paramref name="silos"/>.</summary>
    public static SiloAddress Choose(IGroupCatalog catalog, string key, IReadOnlyList<SiloAddress> silos)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(silos);
        if (silos.Count == 1)
        {
            return silos[0];
        }
        var sorted = silos.OrderBy(s => s.ToString(), StringComparer.Ordinal).ToList();
        // A key of no configured member fails at activation with a clear message; any silo will do to get there.
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || catalog.Find(key[..slash]) is not { } group)
        {
            return sorted[0];
        }
        return sorted[SpreadPlan.PreferredSlot(group, key[(slash + 1)..], sorted.Count)];
    }
}
