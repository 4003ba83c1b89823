using Microsoft.Extensions.Logging;

namespace KevyOrleans.Hosting;

/// <summary>Hosting's log messages. Event ids 2000-2999.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(2000, LogLevel.Warning, "configuration: {Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string warning);
}
