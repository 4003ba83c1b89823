using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>The grains' log messages. Event ids 1000-1999; every line names the group and member.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "{Group}/{Member} activated at epoch {Epoch} (stored record: {Stored})")]
    public static partial void Activated(ILogger logger, string group, string member, ulong epoch, bool stored);

    [LoggerMessage(1001, LogLevel.Error, "{Group}/{Member}: durable write of {Record} failed ({Reason}); nothing was sent, reloading from storage")]
    public static partial void StorageWriteFailed(ILogger logger, string group, string member, string record, string reason, Exception exception);

    [LoggerMessage(1002, LogLevel.Information, "{Group}/{Member}: {Event}")]
    public static partial void ElectionEvent(ILogger logger, string group, string member, string @event);

    [LoggerMessage(1003, LogLevel.Error, "{Group}/{Member}: protocol violation: {Event}")]
    public static partial void ProtocolViolation(ILogger logger, string group, string member, string @event);

    // One line without the stack: a data node that is down is expected. DataNodeLog.ActionFailed adds the exception at Debug.
    [LoggerMessage(1004, LogLevel.Warning, "{Group}/{Member}: data node action {Action} failed: {Reason}")]
    public static partial void DataNodeActionFailed(ILogger logger, string group, string member, string action, string reason);

    [LoggerMessage(1005, LogLevel.Debug, "{Group}/{Member}: data node probe failed")]
    public static partial void ProbeFailed(ILogger logger, string group, string member, Exception exception);

    [LoggerMessage(1006, LogLevel.Critical, "group {Group}: epoch {Epoch} recorded with two primaries, '{First}' and '{Second}'")]
    public static partial void HistoryConflict(ILogger logger, string group, ulong epoch, string first, string second);

    [LoggerMessage(1008, LogLevel.Warning, "supervisor could not reach member {Key}")]
    public static partial void SupervisorPokeFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(1009, LogLevel.Information, "{Group}/{Member}: {Action} applied to the data node")]
    public static partial void DataNodeActionApplied(ILogger logger, string group, string member, string action);
}
