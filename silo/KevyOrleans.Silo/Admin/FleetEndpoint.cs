using KevyOrleans.Abstractions;
using KevyOrleans.Grains;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// <c>GET /fleet</c>: the status page's one request per refresh. The summary and one page of groups come
/// from the <see cref="FleetView"/> every request shares (one grain call per group per gather, at most one
/// gather a second); <c>?group=</c> adds that one group's detail, read fresh (one grain call).
/// </summary>
internal static class FleetEndpoint
{
    public static async Task<IResult> GetAsync(string? state, string? q, string? page, string? pageSize, string? group,
        FleetView fleet, IGroupCatalog catalog, IGrainFactory grains, ILoggerFactory loggers, CancellationToken aborted)
    {
        var (query, error) = FleetQuery.Parse(state, q, page, pageSize);
        if (query is null)
        {
            return AdminErrors.Result(StatusCodes.Status400BadRequest, error!);
        }
        if (group is not null && catalog.Find(group) is null)
        {
            return AdminErrors.UnknownGroup(group);
        }
        var detail = group is null ? null : DetailAsync(group, grains, loggers, aborted);
        var snapshot = await fleet.CurrentAsync().WaitAsync(aborted).ConfigureAwait(false);
        var (matched, shown, pages, groups) = query.Apply(snapshot);
        var answer = new FleetAnswer(snapshot.AsOf, snapshot.Summary, matched, shown, query.PageSize, pages, groups,
            detail is null ? null : await detail.ConfigureAwait(false));
        return TypedResults.Json(answer, AdminJson.Default.FleetAnswer);
    }

    private static async Task<FleetDetail> DetailAsync(string name, IGrainFactory grains, ILoggerFactory loggers, CancellationToken aborted)
    {
        try
        {
            var overview = await grains.GetGrain<IGroupGrain>(name).GetOverview(detailed: true).WaitAsync(GroupEndpoints.GrainTimeout, aborted).ConfigureAwait(false);
            var status = overview.Status;
            return new FleetDetail(status.Name, GroupStates.Of(status), status.Epoch, status.Primary,
                [.. status.Members.Select(GroupEndpoints.Describe)],
                [.. overview.RecentElections.Select(e => new ElectionEntry(e.Epoch, e.Primary, e.At))],
                [.. overview.LagSamples.Select(Point)],
                null)
            {
                Paused = status.Pause is not null,
                PausedUntil = status.Pause?.Until,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            // The list still answers: the page shows the error in the detail panel.
            AdminLog.GroupUnavailable(loggers.CreateLogger(AdminLog.Category), name, "its detail", e);
            return new FleetDetail(name, GroupStates.Unanswered, 0, null, [], [], [], $"group '{name}' did not answer: {e.Message}");
        }
    }

    private static LagPoint Point(LagSample sample) => new(sample.At,
        [.. sample.Members.Select(m => new MemberLagPoint(m.Id, m.HeartbeatLagMs is { } ms ? (long)Math.Round(ms) : null, m.ReplicationLagBytes))]);
}
