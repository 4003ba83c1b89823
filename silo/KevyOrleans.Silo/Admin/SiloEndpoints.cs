using KevyOrleans.Abstractions;
using KevyOrleans.Grains;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// <c>GET /silos</c>: every silo this silo's membership view knows (dead ones left out), each with the
/// hosted members its groups report active there. Members are found through the group grains, the same
/// answers as <c>GET /groups/{name}</c>, so a member that did not answer is on no silo's list.
/// </summary>
internal static class SiloEndpoints
{
    public static async Task<IResult> ListAsync(IClusterMembershipService membership, IGroupCatalog catalog, IGrainFactory grains,
        ILoggerFactory loggers, CancellationToken aborted)
    {
        var logger = loggers.CreateLogger(AdminLog.Category);
        var bySilo = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var statuses = await Task.WhenAll(catalog.Groups.Select(g => StatusAsync(grains, g.Name, logger, aborted))).ConfigureAwait(false);
        foreach (var status in statuses.OfType<GroupStatus>())
        {
            foreach (var m in status.Members.Where(m => m.Silo is not null))
            {
                if (!bySilo.TryGetValue(m.Silo!, out var list))
                {
                    bySilo[m.Silo!] = list = [];
                }
                list.Add(MemberKey.Format(status.Name, m.Id));
            }
        }
        var silos = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status != SiloStatus.Dead)
            .Select(m => new SiloEntry(m.SiloAddress.ToString(), m.Name, m.Status.ToString().ToLowerInvariant(),
                [.. bySilo.GetValueOrDefault(m.SiloAddress.ToString(), []).Order(StringComparer.Ordinal)]))
            .OrderBy(s => s.Address, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Json(new SiloList(silos), AdminJson.Default.SiloList);
    }

    private static async Task<GroupStatus?> StatusAsync(IGrainFactory grains, string name, ILogger logger, CancellationToken aborted)
    {
        try
        {
            return await grains.GetGrain<IGroupGrain>(name).GetStatus().WaitAsync(GroupEndpoints.GrainTimeout, aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            // One silent group must not hide the others' members.
            AdminLog.GroupUnavailable(logger, name, "its status", e);
            return null;
        }
    }
}
