namespace KevyOrleans.Silo.Admin;

/// <summary>The admin API's log messages. Event ids 4000-4099, and 5200-5299 for the fleet view. No message ever carries the API key.</summary>
internal static partial class AdminLog
{
    public const string Category = "KevyOrleans.Silo.Admin";

    public static ILogger Logger(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);

    [LoggerMessage(4000, LogLevel.Information, "admin API and status page on {Url}; API key {KeyState}")]
    public static partial void Listening(ILogger logger, string url, string keyState);

    [LoggerMessage(4001, LogLevel.Warning, "admin API: {Method} {Path} from {Remote} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, string? remote, string reason);

    [LoggerMessage(4002, LogLevel.Warning, "admin API: group {Group} did not answer {What}")]
    public static partial void GroupUnavailable(ILogger logger, string group, string what, Exception exception);

    [LoggerMessage(4003, LogLevel.Error, "admin API: {Method} {Path} failed")]
    public static partial void Failed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(4004, LogLevel.Information, "silo is {State}: the silo check of /healthz/ready answers {Status}")]
    public static partial void Readiness(ILogger logger, string state, int status);

    [LoggerMessage(5200, LogLevel.Debug, "fleet view: {Groups} groups read in {Ms:F0} ms, {Unanswered} did not answer")]
    public static partial void FleetGathered(ILogger logger, int groups, int unanswered, double ms);
}
