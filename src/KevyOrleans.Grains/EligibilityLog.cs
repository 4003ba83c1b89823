using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>Log messages of the failover settings (who may become primary). Event ids 5400-5499.</summary>
internal static partial class EligibilityLog
{
    [LoggerMessage(5400, LogLevel.Warning, "{Group}/{Member}: its primary is gone and it is the best candidate, but it does not run: {Detail}")]
    public static partial void FailoverDeclined(ILogger logger, string group, string member, string detail);

    [LoggerMessage(5401, LogLevel.Warning, "{Group}/{Member}: its primary is gone and it is the best candidate, but the failover is held (anti-flapping): {Detail}")]
    public static partial void FailoverHeld(ILogger logger, string group, string member, string detail);
}
