using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Hosting.Storage;

/// <summary>
/// Removes what crashed writes leave in the store's directory: temp files of the store's own
/// patterns, <c>{state file}.{32 hex}.tmp</c> (a write that never reached its rename) and
/// <c>.probe-{32 hex}.tmp</c> (a start-up probe), in the root directory itself and nowhere else.
/// Each write's temp file is removed under that state's lock, so a write in flight in another
/// process sharing the directory (it holds the lock from its read to its rename) is never touched.
/// </summary>
internal static partial class OrphanedTempFiles
{
    public static async Task<int> RemoveAsync(string root, StateFileLocks locks, string storageName, ILogger logger, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(root, "*" + StateFileName.TempExtension, SearchOption.TopDirectoryOnly))
        {
            var name = Path.GetFileName(path);
            if (ProbePattern().IsMatch(name))
            {
                // A probe lives for one write and one delete; another process's probe vanishing early is harmless.
                removed += TryDelete(path, storageName, logger) ? 1 : 0;
                continue;
            }
            var match = WritePattern().Match(name);
            if (!match.Success)
            {
                continue;
            }
            await using (await locks.AcquireAsync(match.Groups["target"].Value, cancellationToken).ConfigureAwait(false))
            {
                removed += TryDelete(path, storageName, logger) ? 1 : 0;
            }
        }
        if (removed > 0)
        {
            DirectorySync.Flush(root);
        }
        return removed;
    }

    private static bool TryDelete(string path, string storageName, ILogger logger)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false; // renamed into place or removed by another process meanwhile
            }
            File.Delete(path);
            FileGrainStorageLog.OrphanRemoved(logger, storageName, path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FileGrainStorageLog.OrphanKept(logger, storageName, path, e);
            return false;
        }
    }

    // Guid "N" is 32 lowercase hex digits; the write's temp name is "{path}.{guid:N}.tmp".
    [GeneratedRegex(@"^(?<target>.+\.state)\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WritePattern();

    [GeneratedRegex(@"^\.probe-[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ProbePattern();
}
