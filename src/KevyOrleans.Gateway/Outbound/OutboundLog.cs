using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Outbound;

/// <summary>
/// The outbound links' log messages. Event ids 3100-3199; every line names group, from, to and the remote
/// address. A dead peer logs its first failure, every <see cref="OutboundLink.LogEveryNthFailure"/>th one
/// after it and the recovery, never one line per attempt.
/// </summary>
internal static partial class OutboundLog
{
    [LoggerMessage(3100, LogLevel.Information, "{Group}/{From} -> {To} at {Remote}: connected")]
    public static partial void Connected(ILogger logger, string group, string from, string to, string remote);

    [LoggerMessage(3101, LogLevel.Warning, "{Group}/{From} -> {To} at {Remote}: cannot connect ({Reason}); retrying with backoff, queued frames kept (latest heartbeats first)")]
    public static partial void ConnectFailed(ILogger logger, string group, string from, string to, string remote, string reason);

    [LoggerMessage(3102, LogLevel.Warning, "{Group}/{From} -> {To} at {Remote}: still cannot connect after {Attempts} attempts ({Reason})")]
    public static partial void StillFailing(ILogger logger, string group, string from, string to, string remote, int attempts, string reason);

    [LoggerMessage(3103, LogLevel.Information, "{Group}/{From} -> {To} at {Remote}: connected again after {Attempts} failed attempts")]
    public static partial void Recovered(ILogger logger, string group, string from, string to, string remote, int attempts);

    [LoggerMessage(3104, LogLevel.Warning, "{Group}/{From} -> {To} at {Remote}: connection lost ({Reason}); {Requeued} unsent frames put back")]
    public static partial void ConnectionLost(ILogger logger, string group, string from, string to, string remote, string reason, int requeued);

    [LoggerMessage(3105, LogLevel.Warning, "{Group}/{From} -> {To} at {Remote}: stopped with {Left} frames undelivered")]
    public static partial void DrainIncomplete(ILogger logger, string group, string from, string to, string remote, int left);

    [LoggerMessage(3106, LogLevel.Information, "{Group}/{From} -> {To} at {Remote}: link closed, unused for {Idle}")]
    public static partial void IdleLinkClosed(ILogger logger, string group, string from, string to, string remote, TimeSpan idle);

    [LoggerMessage(3107, LogLevel.Warning, "{Group}/{From} -> {To}: not a member of the group; its frames are dropped (logged once)")]
    public static partial void UnknownMember(ILogger logger, string group, string from, string to);

    [LoggerMessage(3108, LogLevel.Error, "{Group}/{From} -> {To} at {Remote}: the link's loop failed")]
    public static partial void LoopFailed(ILogger logger, string group, string from, string to, string remote, Exception exception);
}
