using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>Maintenance mode's log messages. Event ids 5100-5119.</summary>
internal static partial class PauseLog
{
    [LoggerMessage(5100, LogLevel.Warning, "group {Group} paused until {Until}: its hosted members start no candidacy and drive no data node")]
    public static partial void GroupPaused(ILogger logger, string group, string until);

    [LoggerMessage(5101, LogLevel.Warning, "group {Group} resumed: automatic failover is back")]
    public static partial void GroupResumed(ILogger logger, string group);

    [LoggerMessage(5102, LogLevel.Information, "{Group}/{Member}: paused until {Until}; heartbeating and voting, not running, data node left as it is")]
    public static partial void MemberPaused(ILogger logger, string group, string member, string until);

    [LoggerMessage(5103, LogLevel.Information, "{Group}/{Member}: resumed ({Why})")]
    public static partial void MemberResumed(ILogger logger, string group, string member, string why);

    [LoggerMessage(5105, LogLevel.Warning, "switchover of group {Group} refused: the group is paused")]
    public static partial void SwitchoverRefusedPaused(ILogger logger, string group);

    public static string Describe(DateTimeOffset? until) => until is { } u ? u.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "resumed";
}
