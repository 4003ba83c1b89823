using System.Text.Json;
using KevyOrleans.Abstractions;
using KevyOrleans.Hosting;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// <c>PUT /groups/{name}</c> and <c>DELETE /groups/{name}</c>: groups managed at run time, kept in the
/// cluster's registry and served by every silo without a restart. Reads the request, runs
/// <see cref="GroupRegistryService"/> (Hosting, where the rules and the registry are) and maps its outcome
/// to HTTP: 400 naming each bad field, 409 for a change in place or a configuration-file group, 404 unknown.
/// </summary>
internal static class GroupRegistryEndpoints
{
    public static RouteGroupBuilder MapGroupRegistry(this RouteGroupBuilder groups)
    {
        groups.MapPut("/{name}", PutAsync);
        groups.MapDelete("/{name}", DeleteAsync);
        return groups;
    }

    private static async Task<IResult> PutAsync(string name, HttpRequest request, GroupRegistryService registry, CancellationToken aborted)
    {
        GroupPutRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, AdminJson.Default.GroupPutRequest, aborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return AdminErrors.Result(StatusCodes.Status400BadRequest,
                $"the body must be JSON such as {{\"members\":\"n1@10.0.0.1:7001:6001,n2@10.0.0.2:7002:6002,w3@10.0.0.3:7003\",\"hosted\":\"n1,n2,w3\",\"witnesses\":\"w3\",\"kind\":\"redis\"}}: {e.Message}");
        }
        var spec = new GroupSpec(name, body?.Members ?? "", body?.Hosted ?? "", body?.Witnesses ?? "", body?.Kind ?? "kevy");
        var outcome = await registry.AddAsync(spec, aborted).ConfigureAwait(false);
        return outcome.Result switch
        {
            GroupChange.Added => TypedResults.Json(new GroupPutDone(name, spec.Peers, spec.Hosted, spec.Witnesses, spec.DataNodes), AdminJson.Default.GroupPutDone),
            GroupChange.Invalid => AdminErrors.Result(StatusCodes.Status400BadRequest, string.Join("; ", outcome.Errors.Select(Describe))),
            _ => AdminErrors.Result(StatusCodes.Status409Conflict, outcome.Message),
        };
    }

    private static async Task<IResult> DeleteAsync(string name, GroupRegistryService registry, CancellationToken aborted)
    {
        var outcome = await registry.RemoveAsync(name, aborted).ConfigureAwait(false);
        return outcome.Result switch
        {
            GroupChange.Removed => TypedResults.Json(new GroupDeleted(name, true), AdminJson.Default.GroupDeleted),
            GroupChange.Unknown => AdminErrors.Result(StatusCodes.Status404NotFound, outcome.Message),
            _ => AdminErrors.Result(StatusCodes.Status409Conflict, outcome.Message),
        };
    }

    /// <summary>An error in the API's own field names: the file's <c>Peers</c> is <c>members</c>, <c>DataNodes</c> is <c>kind</c>.</summary>
    private static string Describe(ConfigurationError e)
    {
        var field = e.Key switch
        {
            "Peers" => "members",
            "DataNodes" => "kind",
            { Length: > 0 } key => char.ToLowerInvariant(key[0]) + key[1..],
            _ => "body",
        };
        return e.Message.StartsWith(e.Key, StringComparison.Ordinal) && e.Key.Length > 0 ? field + e.Message[e.Key.Length..] : $"{field}: {e.Message}";
    }
}
