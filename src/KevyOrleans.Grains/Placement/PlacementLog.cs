using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains.Placement;

/// <summary>Placement's log messages. Event ids 3600-3699.</summary>
internal static partial class PlacementLog
{
    [LoggerMessage(3600, LogLevel.Information, "{Group}/{Member}: moving from silo {From} to silo {To}, which hosts no member of the group (a planned move: no election)")]
    public static partial void Moving(ILogger logger, string group, string member, string from, string to);

    [LoggerMessage(3601, LogLevel.Warning, "{Group}/{Member}: placement check failed; the next one retries")]
    public static partial void CheckFailed(ILogger logger, string group, string member, Exception exception);
}
