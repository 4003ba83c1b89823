namespace KevyOrleans.Election;

/// <summary>
/// The protocol's timings. Defaults are kevy's: HB 200 ms, DOWN after 5 s, candidacy timeout 3 s,
/// backoff 1 s + random 0..4 s.
/// </summary>
public sealed record ElectionTimings
{
    /// <summary>How often a member sends its heartbeat (HB) to every other member.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A member unheard for this long is DOWN in the local view.</summary>
    public TimeSpan DownAfter { get; init; } = TimeSpan.FromMilliseconds(5000);

    /// <summary>A candidate without quorum by then gives up and backs off.</summary>
    public TimeSpan ElectionTimeout { get; init; } = TimeSpan.FromMilliseconds(3000);

    /// <summary>Fixed part of the wait before the next candidacy.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>Upper bound of the random part added to <see cref="Backoff"/>.</summary>
    public TimeSpan BackoffJitter { get; init; } = TimeSpan.FromMilliseconds(4000);

    /// <summary>kevy's default timings.</summary>
    public static ElectionTimings Default { get; } = new();

    /// <summary>
    /// down_after must be at least this many heartbeats: the lease window (down_after - 2 x hb_interval)
    /// then spans at least two heartbeats, so one late heartbeat never fences a healthy primary.
    /// </summary>
    public const int MinimumDownAfterBeats = 4;

    /// <summary>
    /// How long a primary keeps writing without seeing a majority: down_after - 2 x hb_interval,
    /// so the lease ends before any successor can be elected (rule 8 beyond kevy).
    /// </summary>
    public TimeSpan LeaseWindow => DownAfter - (2 * HeartbeatInterval);

    /// <summary>The longest backoff a candidate can draw.</summary>
    public TimeSpan MaxBackoff => Backoff + BackoffJitter;

    /// <summary>Every problem with these timings, each naming the value; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(errors, nameof(HeartbeatInterval), HeartbeatInterval);
        Positive(errors, nameof(DownAfter), DownAfter);
        Positive(errors, nameof(ElectionTimeout), ElectionTimeout);
        if (Backoff < TimeSpan.Zero)
        {
            errors.Add($"{nameof(Backoff)} is {Backoff.TotalMilliseconds} ms; it must not be negative");
        }
        if (BackoffJitter < TimeSpan.Zero)
        {
            errors.Add($"{nameof(BackoffJitter)} is {BackoffJitter.TotalMilliseconds} ms; it must not be negative");
        }
        if (HeartbeatInterval > TimeSpan.Zero && DownAfter < MinimumDownAfterBeats * HeartbeatInterval)
        {
            errors.Add($"{nameof(DownAfter)} is {DownAfter.TotalMilliseconds} ms; it must be at least {MinimumDownAfterBeats} x {nameof(HeartbeatInterval)} " +
                $"({MinimumDownAfterBeats * HeartbeatInterval.TotalMilliseconds} ms), so that the primary's lease window ({nameof(DownAfter)} - 2 x {nameof(HeartbeatInterval)}) " +
                $"is at least 2 x {nameof(HeartbeatInterval)}");
        }
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public ElectionTimings EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException("invalid election timings: " + string.Join("; ", errors));
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{name} is {value.TotalMilliseconds} ms; it must be greater than 0");
        }
    }
}
