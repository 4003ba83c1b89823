using Microsoft.Extensions.Logging;

namespace KevyOrleans.Hosting;

/// <summary>The run-time group registry's log messages. Event ids 5120-5139.</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(5120, LogLevel.Information, "run-time groups at registry version {Version}: added [{Added}], removed [{Removed}]")]
    public static partial void Applied(ILogger logger, long version, string added, string removed);

    [LoggerMessage(5121, LogLevel.Error, "run-time group {Group} is not served on this silo: {Errors}")]
    public static partial void Skipped(ILogger logger, string group, string errors);

    [LoggerMessage(5122, LogLevel.Warning, "could not read the registry of run-time groups; retrying")]
    public static partial void ReadFailed(ILogger logger, Exception exception);
}
