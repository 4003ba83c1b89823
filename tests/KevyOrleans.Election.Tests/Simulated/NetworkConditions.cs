namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>How the simulated network treats each frame.</summary>
internal sealed record NetworkConditions(TimeSpan MinDelay, TimeSpan MaxDelay, double LossRate, double DuplicateRate)
{
    /// <summary>Every frame arrives after exactly 1 ms, in order: for scenario tests.</summary>
    public static NetworkConditions Perfect { get; } = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), 0, 0);

    /// <summary>Random delays up to 40 ms reorder frames; 5% lost, 2% duplicated.</summary>
    public static NetworkConditions Lossy { get; } = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(40), 0.05, 0.02);

    /// <summary>Delays up to 40 ms (below hb_interval) reorder frames, 2% duplicated, none lost: the lease's assumption.</summary>
    public static NetworkConditions Timely { get; } = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(40), 0, 0.02);

    /// <summary>Delays still reorder, but nothing is lost: the healed network of the liveness phase.</summary>
    public static NetworkConditions Healed { get; } = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(40), 0, 0.02);
}
