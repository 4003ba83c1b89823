using Orleans.Placement;

namespace KevyOrleans.Grains.Placement;

/// <summary>
/// The placement of member grains: a group's members on distinct silos whenever there are enough
/// (<see cref="SpreadPlan"/>), decided by <see cref="SpreadPlacementDirector"/> without look-ups.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("kevy.spread-placement")]
public sealed class SpreadPlacement : PlacementStrategy
{
    /// <summary>The one instance the attribute uses.</summary>
    internal static SpreadPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="SpreadPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SpreadPlacementAttribute : PlacementAttribute
{
    /// <summary>Uses <see cref="SpreadPlacement"/>.</summary>
    public SpreadPlacementAttribute() : base(SpreadPlacement.Instance)
    {
    }
}
