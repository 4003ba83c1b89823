using System.Text.Json;

namespace KevyOrleans.Silo.Admin;

/// <summary><c>POST /groups/{name}/switchover</c>, optionally naming the target (<c>?target=n2</c> or <c>{"target":"n2"}</c>).</summary>
public static class SwitchoverEndpoint
{
    public static IEndpointRouteBuilder MapSwitchover(this IEndpointRouteBuilder app)
    {
        app.MapPost("/groups/{name}/switchover", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(string name, string? target, HttpRequest request, GroupSwitchover switchover, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(target) && request.ContentLength is > 0)
        {
            try
            {
                var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String)
                {
                    target = t.GetString();
                }
            }
            catch (JsonException e)
            {
                return Results.Json(new { error = $"the body is not JSON: {e.Message}" }, statusCode: StatusCodes.Status400BadRequest);
            }
        }
        var outcome = await switchover.RunAsync(name, target, cancellationToken).ConfigureAwait(false);
        return outcome.Result switch
        {
            SwitchoverResult.Completed => Results.Json(new
            {
                group = name,
                previousPrimary = outcome.PreviousPrimary,
                primary = outcome.Primary,
                epoch = outcome.Epoch,
                tookMs = outcome.TookMs,
            }),
            SwitchoverResult.UnknownGroup => Results.Json(new { error = outcome.Message }, statusCode: StatusCodes.Status404NotFound),
            SwitchoverResult.BadTarget => Results.Json(new { error = outcome.Message }, statusCode: StatusCodes.Status400BadRequest),
            _ => Results.Json(new { error = outcome.Message }, statusCode: StatusCodes.Status409Conflict),
        };
    }
}
