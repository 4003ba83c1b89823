using System.Text.Json;
using KevyOrleans.Grains;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// <c>POST /groups/{name}/switchover</c>, optionally naming the target (<c>?target=n2</c> or
/// <c>{"target":"n2"}</c>): reads the request, runs <see cref="GroupSwitchover"/> (Grains, where the
/// switchover is decided and driven) and maps its outcome to HTTP.
/// </summary>
internal static class SwitchoverEndpoint
{
    public static RouteGroupBuilder MapSwitchover(this RouteGroupBuilder groups)
    {
        groups.MapPost("/{name}/switchover", SwitchoverAsync);
        return groups;
    }

    private static async Task<IResult> SwitchoverAsync(string name, string? target, HttpRequest request, GroupSwitchover switchover,
        IOptions<AdminOptions> options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(target) && request.ContentLength is > 0)
        {
            try
            {
                var body = await JsonSerializer.DeserializeAsync(request.Body, AdminJson.Default.SwitchoverRequest, cancellationToken).ConfigureAwait(false);
                target = body?.Target;
            }
            catch (JsonException e)
            {
                return AdminErrors.Result(StatusCodes.Status400BadRequest, $"the body must be JSON such as {{\"target\":\"n2\"}}: {e.Message}");
            }
        }
        var outcome = await switchover.RunAsync(name, target, TimeSpan.FromMilliseconds(options.Value.SwitchoverTimeoutMs), cancellationToken).ConfigureAwait(false);
        // Every other result (refused, timed out, in progress, fence failed) is a 409 with the reason.
        return outcome.Result switch
        {
            SwitchoverResult.Completed => TypedResults.Json(
                new SwitchoverDone(name, outcome.PreviousPrimary!, outcome.Primary!, outcome.Epoch!.Value, Math.Round(outcome.TookMs!.Value, 1)),
                AdminJson.Default.SwitchoverDone),
            SwitchoverResult.UnknownGroup => AdminErrors.UnknownGroup(name),
            SwitchoverResult.BadTarget => AdminErrors.Result(StatusCodes.Status400BadRequest, outcome.Message),
            _ => AdminErrors.Result(StatusCodes.Status409Conflict, outcome.Message),
        };
    }
}
