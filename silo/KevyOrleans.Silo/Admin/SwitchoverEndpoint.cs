using System.Text.Json;

namespace KevyOrleans.Silo.Admin;

// POST /groups/{name}/switchover, optionally naming the target (?target=n2 or {"target":"n2"}).
public static partial class AdminEndpoints
{
    static partial void MapSwitchover(RouteGroupBuilder groups) => groups.MapPost("/{name}/switchover", SwitchoverAsync);

    private static async Task<IResult> SwitchoverAsync(string name, string? target, HttpRequest request, GroupSwitchover switchover, CancellationToken cancellationToken)
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
        var outcome = await switchover.RunAsync(name, target, cancellationToken).ConfigureAwait(false);
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
