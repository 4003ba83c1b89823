using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>The member runner's data-node reconciliation logs. Event ids 1500-1599; every line names the group and member.</summary>
internal static partial class DataNodeLog
{
    [LoggerMessage(1500, LogLevel.Warning, "{Group}/{Member}: data node is {Observed} but the election wants {Intent}; re-applying {Action}")]
    public static partial void Disagrees(ILogger logger, string group, string member, string observed, string intent, string action);

    [LoggerMessage(1501, LogLevel.Information, "{Group}/{Member}: the last data-node action failed; re-applying {Action} (node is {Observed})")]
    public static partial void Retrying(ILogger logger, string group, string member, string action, string observed);

    [LoggerMessage(1504, LogLevel.Information, "{Group}/{Member}: data node is {Observed} and would take writes, but no election has made this member primary (a cold start, or it came back without a role); fencing it until the election decides")]
    public static partial void FencingUndecided(ILogger logger, string group, string member, string observed);

    [LoggerMessage(1502, LogLevel.Debug, "{Group}/{Member}: renewing the fence (node is {Observed})")]
    public static partial void RenewingFence(ILogger logger, string group, string member, string observed);

    [LoggerMessage(1503, LogLevel.Debug, "{Group}/{Member}: data node action {Action} failed; the exception follows")]
    private static partial void ActionFailedDetail(ILogger logger, string group, string member, string action, Exception exception);

    /// <summary>
    /// A failed data-node action: one Warning line with the reason (<see cref="Log.DataNodeActionFailed"/>,
    /// no stack trace: a data node that is down is an expected event), and the exception at Debug.
    /// </summary>
    public static void ActionFailed(ILogger logger, string group, string member, string action, Exception exception)
    {
        Log.DataNodeActionFailed(logger, group, member, action, exception.Message);
        ActionFailedDetail(logger, group, member, action, exception);
    }
}
