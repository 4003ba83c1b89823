using System.Globalization;
using System.Text.Json;
using KevyOrleans.Abstractions;
using KevyOrleans.Grains;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// <c>POST /groups/{name}/pause</c> (maintenance mode, optionally with an expiry: <c>?expiresAfterSeconds=600</c>,
/// <c>?until=2026-12-02T08:00:00Z</c>, or the same names in a JSON body) and <c>POST /groups/{name}/resume</c>.
/// The group grain keeps the pause durably and tells every hosted member of the group, on every silo.
/// </summary>
internal static class PauseEndpoints
{
    public static RouteGroupBuilder MapPause(this RouteGroupBuilder groups)
    {
        groups.MapPost("/{name}/pause", PauseAsync);
        groups.MapPost("/{name}/resume", ResumeAsync);
        return groups;
    }

    private static async Task<IResult> PauseAsync(string name, string? expiresAfterSeconds, string? until, HttpRequest request,
        IGroupCatalog catalog, IGrainFactory grains, TimeProvider time, CancellationToken aborted)
    {
        if (catalog.Find(name) is null)
        {
            return AdminErrors.UnknownGroup(name);
        }
        var body = new PauseRequest(null, null);
        if (request.ContentLength is > 0)
        {
            try
            {
                body = await JsonSerializer.DeserializeAsync(request.Body, AdminJson.Default.PauseRequest, aborted).ConfigureAwait(false) ?? body;
            }
            catch (JsonException e)
            {
                return BadRequest($"the body must be JSON such as {{\"expiresAfterSeconds\":600}} or {{\"until\":\"2026-12-02T08:00:00Z\"}}: {e.Message}");
            }
        }
        long? seconds = body.ExpiresAfterSeconds;
        if (expiresAfterSeconds is not null)
        {
            if (!long.TryParse(expiresAfterSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
            {
                return BadRequest($"expiresAfterSeconds is '{expiresAfterSeconds}'; it must be a whole number of seconds greater than 0");
            }
            seconds = s;
        }
        var end = body.Until;
        if (until is not null)
        {
            if (!DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var u))
            {
                return BadRequest($"until is '{until}'; it must be a date and time such as 2026-12-02T08:00:00Z");
            }
            end = u;
        }
        var now = time.GetUtcNow();
        if (seconds is not null && end is not null)
        {
            return BadRequest("give either expiresAfterSeconds or until, not both");
        }
        if (seconds is { } after)
        {
            if (after is <= 0 or > MaxSeconds)
            {
                return BadRequest($"expiresAfterSeconds is {after}; it must be from 1 to {MaxSeconds} (one year)");
            }
            end = now.AddSeconds(after);
        }
        else if (end is { } at && at <= now)
        {
            return BadRequest($"until is {at:O}, which has passed (the silo's time is {now:O})");
        }
        var pause = await grains.GetGrain<IGroupGrain>(name).Pause(end?.ToUniversalTime()).WaitAsync(GroupEndpoints.GrainTimeout, aborted).ConfigureAwait(false);
        return TypedResults.Json(new PauseStatus(name, true, pause.Since, pause.Until), AdminJson.Default.PauseStatus);
    }

    private static async Task<IResult> ResumeAsync(string name, IGroupCatalog catalog, IGrainFactory grains, CancellationToken aborted)
    {
        if (catalog.Find(name) is null)
        {
            return AdminErrors.UnknownGroup(name);
        }
        await grains.GetGrain<IGroupGrain>(name).Resume().WaitAsync(GroupEndpoints.GrainTimeout, aborted).ConfigureAwait(false);
        return TypedResults.Json(new PauseStatus(name, false, null, null), AdminJson.Default.PauseStatus);
    }

    private const long MaxSeconds = 366L * 24 * 3600;

    private static IResult BadRequest(string message) => AdminErrors.Result(StatusCodes.Status400BadRequest, message);
}
