using KevyOrleans.Abstractions;
using KevyOrleans.Grains;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// The fleet from the group grains: one <see cref="IGroupGrain.GetOverview"/> per configured group, all at once
/// (each group grain asks its hosted members, as for <c>GET /groups/{name}</c>). No per-request work: the
/// <see cref="FleetView"/> shares one gather between every request.
/// </summary>
internal sealed class GrainFleetSource(IGroupCatalog catalog, IGrainFactory grains, TimeProvider time, ILoggerFactory loggers) : IFleetSource
{
    private readonly ILogger _logger = loggers.CreateLogger(AdminLog.Category);

    public async Task<IReadOnlyList<FleetGroup>> GatherAsync()
    {
        var started = time.GetTimestamp();
        var groups = await Task.WhenAll(catalog.Groups.Select(g => OneAsync(g.Name))).ConfigureAwait(false);
        AdminLog.FleetGathered(_logger, groups.Length, groups.Count(g => g.Error is not null), time.GetElapsedTime(started).TotalMilliseconds);
        return groups;
    }

    /// <summary>A group's entry in the fleet view, from its overview.</summary>
    internal static FleetGroup Entry(GroupOverview overview)
    {
        var status = overview.Status;
        return new FleetGroup(status.Name, GroupStates.Of(status), status.Epoch, status.Primary, status.Members.Count,
            status.Members.Count(m => m.IsUp()), overview.ElectionsLastHour, overview.LastElectionAt, null);
    }

    private async Task<FleetGroup> OneAsync(string name)
    {
        try
        {
            var overview = await grains.GetGrain<IGroupGrain>(name).GetOverview(detailed: false).WaitAsync(GroupEndpoints.GrainTimeout).ConfigureAwait(false);
            return Entry(overview);
        }
#pragma warning disable CA1031 // one silent group must not hide the others
        catch (Exception e)
#pragma warning restore CA1031
        {
            AdminLog.GroupUnavailable(_logger, name, "its overview", e);
            return new FleetGroup(name, GroupStates.Unanswered, 0, null, 0, 0, 0, null, $"group '{name}' did not answer: {e.Message}");
        }
    }
}
