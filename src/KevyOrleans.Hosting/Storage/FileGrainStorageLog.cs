using Microsoft.Extensions.Logging;

namespace KevyOrleans.Hosting.Storage;

/// <summary>Log events of <see cref="FileGrainStorage"/>; ids 41000-41099 are this provider's, 2700-2709 its orphaned temp files.</summary>
internal static partial class FileGrainStorageLog
{
    [LoggerMessage(EventId = 41001, Level = LogLevel.Information,
        Message = "File grain storage {Name} uses directory {RootDirectory}")]
    public static partial void Initialized(ILogger logger, string name, string rootDirectory);

    [LoggerMessage(EventId = 41002, Level = LogLevel.Error,
        Message = "File grain storage {Name}: corrupt state file {FilePath}: {Problem}")]
    public static partial void CorruptFile(ILogger logger, string name, string filePath, string problem, Exception exception);

    // Information, not a warning: two activations racing for one grain is expected during a silo
    // failure, and the ETag check refusing the loser is the design working.
    [LoggerMessage(EventId = 41003, Level = LogLevel.Information,
        Message = "File grain storage {Name}: {Operation} of {FilePath} refused, the caller has ETag {GivenETag} and the file holds {StoredETag}")]
    public static partial void ETagConflict(ILogger logger, string name, string operation, string filePath, string givenETag, string storedETag);

    [LoggerMessage(EventId = 41004, Level = LogLevel.Error,
        Message = "File grain storage {Name}: root directory {RootDirectory} is unusable")]
    public static partial void UnusableRoot(ILogger logger, string name, string rootDirectory, Exception exception);

    [LoggerMessage(EventId = 2700, Level = LogLevel.Information,
        Message = "File grain storage {Name}: removed orphaned temp file {FilePath} (a write that crashed before its rename)")]
    public static partial void OrphanRemoved(ILogger logger, string name, string filePath);

    [LoggerMessage(EventId = 2701, Level = LogLevel.Warning,
        Message = "File grain storage {Name}: could not remove orphaned temp file {FilePath}")]
    public static partial void OrphanKept(ILogger logger, string name, string filePath, Exception exception);
}
