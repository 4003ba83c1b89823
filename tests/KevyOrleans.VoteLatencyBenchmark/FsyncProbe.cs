using System.Diagnostics;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>
/// What the disk under the file store costs, with no silo involved: a small write followed by one
/// fsync, on the same file system as the state files. Two shapes: rewriting one file in place, and a
/// new file written, fsynced and renamed over the old one (the file store's step, less its directory fsync).
/// </summary>
internal static class FsyncProbe
{
    private static readonly byte[] Record = new byte[96]; // about the size of a member's encoded record

    /// <summary>Write + fsync of one file, <paramref name="samples"/> times.</summary>
    public static LatencySummary InPlace(string directory, int samples)
    {
        var path = Path.Combine(directory, "fsync-probe.bin");
        var times = new List<double>(samples);
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            for (var i = 0; i < samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                stream.Position = 0;
                stream.Write(Record);
                stream.Flush(flushToDisk: true);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        File.Delete(path);
        return LatencySummary.Of(times);
    }

    /// <summary>New file, write, fsync, close, rename over the target: <paramref name="samples"/> times.</summary>
    public static LatencySummary NewFileAndRename(string directory, int samples)
    {
        var target = Path.Combine(directory, "fsync-probe-target.bin");
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var temp = Path.Combine(directory, $"fsync-probe-{i}.tmp");
            var started = Stopwatch.GetTimestamp();
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Record);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        File.Delete(target);
        return LatencySummary.Of(times);
    }
}
