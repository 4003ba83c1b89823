namespace KevyOrleans.Silo.Admin;

/// <summary>Reads every configured group once (the grain-backed one is <see cref="GrainFleetSource"/>).</summary>
internal interface IFleetSource
{
    /// <summary>One entry per configured group; a group that did not answer has <see cref="FleetGroup.Error"/> set.</summary>
    Task<IReadOnlyList<FleetGroup>> GatherAsync();
}

/// <summary>Every group, worst first, with the fleet's counts, as read at <see cref="AsOf"/>.</summary>
internal sealed record FleetSnapshot(DateTimeOffset AsOf, IReadOnlyList<FleetGroup> Groups, FleetSummary Summary)
{
    public static FleetSnapshot Of(IEnumerable<FleetGroup> groups, DateTimeOffset asOf)
    {
        var sorted = groups.OrderBy(g => GroupStates.Rank(g.State)).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        var summary = new FleetSummary(
            sorted.Count,
            sorted.Count(g => g.State == GroupStates.Healthy),
            sorted.Count(g => g.State == GroupStates.Degraded),
            sorted.Count(g => g.State == GroupStates.NoPrimary),
            sorted.Sum(g => g.ElectionsLastHour));
        return new FleetSnapshot(asOf, sorted, summary);
    }
}

/// <summary>
/// The fleet as every <c>GET /fleet</c> on this silo shares it: read at most once per <see cref="MaxAge"/>,
/// and never twice at once. However many pages are open and however often they refresh, the groups are
/// read by one gather at a time, and a gather younger than <see cref="MaxAge"/> (counted from its start)
/// answers without any grain call.
/// </summary>
internal sealed class FleetView(IFleetSource source, TimeProvider time)
{
    /// <summary>How long one gather answers every request: the status page's refresh interval.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private FleetSnapshot? _current;
    private long _currentStarted;
    private Task<FleetSnapshot>? _gathering;

    /// <summary>The shared snapshot: the current one while fresh, else the gather under way, else a new gather.</summary>
    public Task<FleetSnapshot> CurrentAsync()
    {
        lock (_lock)
        {
            if (_current is not null && time.GetElapsedTime(_currentStarted) < MaxAge)
            {
                return Task.FromResult(_current);
            }
            if (_gathering is null || _gathering.IsCompleted)
            {
                _gathering = GatherAsync(time.GetTimestamp());
            }
            return _gathering;
        }
    }

    private async Task<FleetSnapshot> GatherAsync(long started)
    {
        await Task.Yield(); // the caller holds the lock: the gather runs outside it
        var groups = await source.GatherAsync().ConfigureAwait(false);
        var snapshot = FleetSnapshot.Of(groups, time.GetUtcNow());
        lock (_lock)
        {
            _current = snapshot;
            _currentStarted = started;
        }
        return snapshot;
    }
}
