using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>The Sentinel endpoint's log messages. Event ids 3700-3799.</summary>
internal static partial class SentinelLog
{
    [LoggerMessage(3700, LogLevel.Information, "Sentinel endpoint listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(3701, LogLevel.Information, "Sentinel endpoint stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(3702, LogLevel.Warning, "Sentinel endpoint: refused a connection from {Remote} ({Reason}): {Detail}")]
    public static partial void ConnectionRefused(ILogger logger, string remote, string reason, string detail);

    [LoggerMessage(3703, LogLevel.Warning, "Sentinel endpoint: closed the connection from {Remote} ({Reason}): {Detail}")]
    public static partial void ConnectionClosed(ILogger logger, string remote, string reason, string detail);

    [LoggerMessage(3704, LogLevel.Error, "Sentinel endpoint: setting up an accepted connection failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(3705, LogLevel.Warning, "Sentinel endpoint: the status of group {Group} could not be read; its last view is kept")]
    public static partial void GroupUnavailable(ILogger logger, string group, Exception exception);

    [LoggerMessage(3706, LogLevel.Information, "Sentinel event {Channel} {Payload}")]
    public static partial void Published(ILogger logger, string channel, string payload);

    [LoggerMessage(3707, LogLevel.Warning, "Sentinel endpoint: the directory of sentinels could not be reached")]
    public static partial void DirectoryUnavailable(ILogger logger, Exception exception);
}
