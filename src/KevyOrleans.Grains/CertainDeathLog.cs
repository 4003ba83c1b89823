using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>Rule 14 (definitive death) logs of the member runner and its death watch. Event ids 5300-5399.</summary>
internal static partial class CertainDeathLog
{
    [LoggerMessage(5300, LogLevel.Warning, "{Group}/{Member}: its data node is certainly dead (the connection was refused); the member renounced its role and tells its hosted peers: {Detail}")]
    public static partial void OwnDataNodeDead(ILogger logger, string group, string member, string detail);

    [LoggerMessage(5301, LogLevel.Information, "{Group}/{Member}: took a notice of certain death: {Detail}")]
    public static partial void PeerDead(ILogger logger, string group, string member, string detail);

    [LoggerMessage(5302, LogLevel.Information, "{Group}/{Member}: ignored a notice of certain death: {Detail}")]
    public static partial void NoticeIgnored(ILogger logger, string group, string member, string detail);

    [LoggerMessage(5303, LogLevel.Debug, "{Group}/{Member}: the death watch of the data node at {Endpoint} stopped on an unexpected failure")]
    public static partial void WatchFailed(ILogger logger, string group, string member, string endpoint, Exception exception);
}
