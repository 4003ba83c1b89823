using KevyOrleans.Abstractions;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// <c>GET /groups</c> (<c>?state=</c> healthy, degraded or noprimary: <see cref="GroupStates"/>), <c>GET /groups/{name}</c>,
/// <c>GET /groups/{name}/history</c>: what the group grains report, as the admin API's JSON. Only configured groups are asked, so a request for an
/// unknown name never activates a grain.
/// </summary>
internal static class GroupEndpoints
{
    /// <summary>
    /// How long a request waits for the group grain: 10 s. The group grain asks each hosted member
    /// for at most 2 s, one after the other; this bounds an HTTP request even while a dead silo's
    /// members are not yet back (Orleans' own call timeout is 30 s).
    /// </summary>
    internal static readonly TimeSpan GrainTimeout = TimeSpan.FromSeconds(10);

    private const int MaxHistory = 1000; // what the group grain keeps

    public static RouteGroupBuilder MapGroupQueries(this RouteGroupBuilder groups)
    {
        groups.MapGet("", ListAsync);
        groups.MapGet("/{name}", DetailAsync);
        groups.MapGet("/{name}/history", HistoryAsync);
        return groups;
    }

    private static async Task<IResult> ListAsync(string? state, IGroupCatalog catalog, IGrainFactory grains, ILoggerFactory loggers, CancellationToken aborted)
    {
        var wanted = "";
        if (state is not null && !GroupStates.TryParse(state, out wanted))
        {
            return GroupStates.BadState(state);
        }
        var logger = loggers.CreateLogger(AdminLog.Category);
        var names = catalog.Groups.Select(g => g.Name).Order(StringComparer.Ordinal).ToList();
        var summaries = await Task.WhenAll(names.Select(name => SummarizeAsync(grains, name, logger, aborted))).ConfigureAwait(false);
        return TypedResults.Json(new GroupList([.. summaries.Where(g => state is null || g.State == wanted)]), AdminJson.Default.GroupList);
    }

    private static async Task<IResult> DetailAsync(string name, IGroupCatalog catalog, IGrainFactory grains, ILoggerFactory loggers, CancellationToken aborted)
    {
        if (catalog.Find(name) is null)
        {
            return AdminErrors.UnknownGroup(name);
        }
        try
        {
            var status = await grains.GetGrain<IGroupGrain>(name).GetStatus().WaitAsync(GrainTimeout, aborted).ConfigureAwait(false);
            return TypedResults.Json(new GroupDetail(status.Name, status.Epoch, status.Primary, [.. status.Members.Select(Describe)], status.NoPrimaryReason)
            {
                Paused = status.Pause is not null,
                PausedUntil = status.Pause?.Until,
            }, AdminJson.Default.GroupDetail);
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            return Unavailable(loggers, name, "its status", e);
        }
    }

    private static async Task<IResult> HistoryAsync(string name, string? limit, IGroupCatalog catalog, IGrainFactory grains, ILoggerFactory loggers, CancellationToken aborted)
    {
        if (catalog.Find(name) is null)
        {
            return AdminErrors.UnknownGroup(name);
        }
        var take = MaxHistory;
        if (limit is not null && (!int.TryParse(limit, out take) || take is < 1 or > MaxHistory))
        {
            return AdminErrors.Result(StatusCodes.Status400BadRequest, $"limit is '{limit}'; it must be a whole number from 1 to {MaxHistory}");
        }
        try
        {
            var elections = await grains.GetGrain<IGroupGrain>(name).GetHistory().WaitAsync(GrainTimeout, aborted).ConfigureAwait(false);
            // Newest first: the grain keeps them in the order they were recorded.
            var newest = elections.Reverse().Take(take).Select(e => new ElectionEntry(e.Epoch, e.Primary, e.At)).ToList();
            return TypedResults.Json(new GroupHistory(name, newest), AdminJson.Default.GroupHistory);
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            return Unavailable(loggers, name, "its history", e);
        }
    }

    private static async Task<GroupSummary> SummarizeAsync(IGrainFactory grains, string name, ILogger logger, CancellationToken aborted)
    {
        try
        {
            var status = await grains.GetGrain<IGroupGrain>(name).GetStatus().WaitAsync(GrainTimeout, aborted).ConfigureAwait(false);
            var members = status.Members.Select(Describe).ToList();
            return new GroupSummary(name, status.Epoch, status.Primary, members.Count, members.Count(m => m.Up), null)
            {
                State = GroupStates.Of(status),
                Paused = status.Pause is not null,
                PausedUntil = status.Pause?.Until,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            // One silent group must not hide the others.
            AdminLog.GroupUnavailable(logger, name, "its status", e);
            return new GroupSummary(name, 0, null, 0, 0, $"group '{name}' did not answer: {e.Message}") { State = GroupStates.Unanswered };
        }
    }

    /// <summary>A member as the API shows it; <c>up</c> is <see cref="MemberHealth.IsUp"/>, the rule switchover uses too.</summary>
    internal static MemberDetail Describe(GroupMemberStatus m) => new(
        m.Id,
        m.Role?.ToWire(),
        m.Epoch,
        m.Offset,
        m.SinceLastSeenMs is { } ms ? (long)Math.Round(ms) : null,
        m.IsUp(),
        m.Hosted,
        m.IsWitness,
        m.DataNodeHealthy,
        m.KnownPrimary,
        m.Silo,
        m.NoFailover,
        m.Priority,
        m.NotEligible);

    private static IResult Unavailable(ILoggerFactory loggers, string name, string what, Exception e)
    {
        AdminLog.GroupUnavailable(loggers.CreateLogger(AdminLog.Category), name, what, e);
        return AdminErrors.Result(StatusCodes.Status503ServiceUnavailable, $"group '{name}' did not answer for {what}: {e.Message}");
    }
}
