using System.Globalization;
using KevyOrleans.Abstractions;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// Health checks for load balancers (Patroni's role endpoints): <c>GET /groups/{g}/members/{m}/primary</c>
/// is 200 only while that member is the group's writable primary, <c>/replica</c> 200 while it is a healthy
/// replica of the primary (<c>?lag=&lt;bytes&gt;</c> bounds how far behind), 503 otherwise, each with a JSON
/// body that says why; <c>GET /groups/{g}/primary</c> is the primary's data-node address. An HAProxy
/// <c>option httpchk</c> needs only the status code.
/// </summary>
internal static class RoleEndpoints
{
    public static RouteGroupBuilder MapRoleChecks(this RouteGroupBuilder groups)
    {
        groups.MapGet("/{name}/primary", PrimaryAddressAsync);
        groups.MapGet("/{name}/members/{member}/primary", IsPrimaryAsync);
        groups.MapGet("/{name}/members/{member}/replica", IsReplicaAsync);
        return groups;
    }

    private static async Task<IResult> PrimaryAddressAsync(string name, IGroupCatalog catalog, IGrainFactory grains, CancellationToken aborted)
    {
        if (catalog.Find(name) is not { } group)
        {
            return AdminErrors.UnknownGroup(name);
        }
        var status = await StatusAsync(grains, name, aborted).ConfigureAwait(false);
        if (status?.Primary is not { } primary || group.Election.IsWitness(primary) || !group.Election.Members.Contains(primary))
        {
            return AdminErrors.Result(StatusCodes.Status503ServiceUnavailable, status is null
                ? $"group '{name}' did not answer"
                : $"group '{name}' has no primary now (epoch {status.Epoch}); the election will pick one");
        }
        var entry = group.Member(primary);
        return TypedResults.Json(new PrimaryAddress(name, primary, Endpoints.Bare(entry.Host), entry.ClientPort, status.Epoch), AdminJson.Default.PrimaryAddress);
    }

    private static async Task<IResult> IsPrimaryAsync(string name, string member, IGroupCatalog catalog, IGrainFactory grains, CancellationToken aborted)
    {
        if (Unknown(catalog, name, member) is { } unknown)
        {
            return unknown;
        }
        var group = catalog.Find(name)!;
        var status = await StatusAsync(grains, name, aborted).ConfigureAwait(false);
        var m = status?.Members.FirstOrDefault(x => x.Id == member);
        string? problem = status is null ? $"group '{name}' did not answer"
            : m is null ? $"member '{member}' is not in the group's status"
            : m.Role != Role.Primary ? $"'{member}' is {m.Role?.ToWire() ?? "unknown"}, not primary"
            : status.Primary != member ? $"the group's primary is '{status.Primary ?? "nobody"}'"
            : !m.IsUp() ? $"'{member}' is primary but not up (its data node does not answer or its peers do not hear it)"
            : null;
        if (problem is null && group.IsHosted(member))
        {
            // A hosted primary can tell more than its role: fenced or out of its quorum's sight, it takes no writes.
            var snapshot = await SnapshotAsync(grains, name, member, aborted).ConfigureAwait(false);
            problem = snapshot is null ? $"'{member}' did not answer"
                : snapshot.Fenced ? $"'{member}' is primary but fenced (a switchover or a lost quorum): it takes no writes"
                : !snapshot.QuorumVisible ? $"'{member}' is primary but does not see a quorum"
                : null;
        }
        return Answer(new RoleCheck(name, member, "primary", problem is null, status?.Epoch ?? 0, status?.Primary, null, problem));
    }

    private static async Task<IResult> IsReplicaAsync(string name, string member, string? lag, IGroupCatalog catalog, IGrainFactory grains, CancellationToken aborted)
    {
        if (Unknown(catalog, name, member) is { } unknown)
        {
            return unknown;
        }
        ulong? maxLag = null;
        if (lag is not null)
        {
            if (!ulong.TryParse(lag, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                return AdminErrors.Result(StatusCodes.Status400BadRequest, $"lag is '{lag}'; it must be a whole number of bytes");
            }
            maxLag = bytes;
        }
        var status = await StatusAsync(grains, name, aborted).ConfigureAwait(false);
        var m = status?.Members.FirstOrDefault(x => x.Id == member);
        var primary = status?.Primary is { } p ? status.Members.FirstOrDefault(x => x.Id == p) : null;
        ulong? behind = m?.Offset is { } mine && primary?.Offset is { } theirs ? (theirs > mine ? theirs - mine : 0) : null;
        var problem = status is null ? $"group '{name}' did not answer"
            : m is null ? $"member '{member}' is not in the group's status"
            : m.IsWitness ? $"'{member}' is a witness: it holds no data"
            : m.Role != Role.Replica ? $"'{member}' is {m.Role?.ToWire() ?? "unknown"}, not replica"
            : !m.IsUp() ? $"'{member}' is not up (its data node does not answer or its peers do not hear it)"
            : primary is null ? $"group '{name}' has no primary for '{member}' to replicate from"
            : m.Hosted && m.KnownPrimary != primary.Id ? $"'{member}' follows '{m.KnownPrimary ?? "nobody"}', not the primary '{primary.Id}'"
            : maxLag is { } limit && behind is null ? $"the lag of '{member}' is unknown"
            : maxLag is { } max && behind > max ? $"'{member}' is {behind} bytes behind the primary, more than lag={max}"
            : null;
        return Answer(new RoleCheck(name, member, "replica", problem is null, status?.Epoch ?? 0, status?.Primary, behind, problem));
    }

    private static IResult? Unknown(IGroupCatalog catalog, string name, string member)
    {
        if (catalog.Find(name) is not { } group)
        {
            return AdminErrors.UnknownGroup(name);
        }
        return group.Election.Members.Contains(member)
            ? null
            : AdminErrors.Result(StatusCodes.Status404NotFound, $"group '{name}' has no member '{member}'");
    }

    private static IResult Answer(RoleCheck check) =>
        TypedResults.Json(check, AdminJson.Default.RoleCheck, contentType: null, check.Ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);

    private static async Task<GroupStatus?> StatusAsync(IGrainFactory grains, string name, CancellationToken aborted)
    {
        try
        {
            return await grains.GetGrain<IGroupGrain>(name).GetStatus().WaitAsync(GroupEndpoints.GrainTimeout, aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            return null; // a health check answers 503, never 500: the balancer takes the member out
        }
    }

    private static async Task<MemberSnapshot?> SnapshotAsync(IGrainFactory grains, string name, string member, CancellationToken aborted)
    {
        try
        {
            return await grains.GetGrain<IMemberGrain>(MemberKey.Format(name, member)).GetStatus().WaitAsync(GroupEndpoints.GrainTimeout, aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            return null;
        }
    }
}
