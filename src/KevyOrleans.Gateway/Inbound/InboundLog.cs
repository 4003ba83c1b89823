using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Inbound;

/// <summary>Inbound log messages. Event ids 3000-3099 (refusals at accept are TrustLog's, 2900-2999); each names the listener and, where there is one, the remote address.</summary>
internal static partial class InboundLog
{
    [LoggerMessage(3000, LogLevel.Information, "listening for {Listener} on {Endpoint}")]
    public static partial void Listening(ILogger logger, string listener, string endpoint);

    [LoggerMessage(3001, LogLevel.Warning, "{Listener}: dropped the connection from {Remote}: {Reason}")]
    public static partial void ConnectionDropped(ILogger logger, string listener, string remote, string reason);

    [LoggerMessage(3002, LogLevel.Warning, "{Listener}: dropped a frame from {Remote}: {Reason} (further ones on this connection are only counted)")]
    public static partial void FrameDropped(ILogger logger, string listener, string remote, string reason);

    [LoggerMessage(3004, LogLevel.Information, "stopped listening for {Listener}")]
    public static partial void Stopped(ILogger logger, string listener);
}
