using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

// The event ids predate the move from the silo's admin API into Grains; operators' alerts use them.
internal static partial class SwitchoverLog
{
    [LoggerMessage(EventId = 4050, Level = LogLevel.Warning, Message = "Switchover of group {Group} started: primary {Primary} hands over to {Target} (epoch {Epoch})")]
    public static partial void SwitchoverStarted(ILogger logger, string group, string primary, string target, ulong epoch);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Warning, Message = "Switchover of group {Group} completed: {Target} replaced {Primary} as primary in epoch {Epoch} after {TookMs} ms")]
    public static partial void SwitchoverCompleted(ILogger logger, string group, string primary, string target, ulong epoch, double tookMs);

    [LoggerMessage(EventId = 4052, Level = LogLevel.Error, Message = "Switchover of group {Group} from {Primary} to {Target} failed: {Reason}")]
    public static partial void SwitchoverTimedOut(ILogger logger, string group, string primary, string target, string reason);

    [LoggerMessage(EventId = 2600, Level = LogLevel.Warning, Message = "Switchover of group {Group} refused: another one is in progress")]
    public static partial void SwitchoverRefusedInProgress(ILogger logger, string group);
}
