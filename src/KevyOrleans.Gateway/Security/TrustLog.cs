using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Security;

/// <summary>
/// The gateway's trust log messages (rule 12): refused connections, accept failures, member host
/// resolution. Event ids 2900-2999. Refusals are logged for the first one of a reason and then every
/// <see cref="RefusalLogEvery"/>th, never one line per stranger.
/// </summary>
internal static partial class TrustLog
{
    /// <summary>A listener logs the first refusal of a reason and then every this-many-th.</summary>
    public const int RefusalLogEvery = 100;

    [LoggerMessage(2900, LogLevel.Warning, "{Listener}: refused a connection from {Remote} ({Reason}): {Detail}; {Count} refused for this reason so far")]
    public static partial void ConnectionRefused(ILogger logger, string listener, string remote, string reason, string detail, long count);

    [LoggerMessage(2901, LogLevel.Error, "{Listener}: setting up an accepted connection failed; it is closed and the listener keeps accepting")]
    public static partial void AcceptFailed(ILogger logger, string listener, Exception exception);

    [LoggerMessage(2902, LogLevel.Warning, "member host {Host} cannot be resolved for the source-address check ({Reason}); keeping {Addresses} until it resolves again (logged once)")]
    public static partial void ResolveFailed(ILogger logger, string host, string reason, string addresses);

    [LoggerMessage(2903, LogLevel.Information, "member host {Host} resolves again: {Addresses}")]
    public static partial void ResolveRecovered(ILogger logger, string host, string addresses);

    [LoggerMessage(2904, LogLevel.Information, "member host {Host} now resolves to {Addresses}")]
    public static partial void ResolveChanged(ILogger logger, string host, string addresses);
}
