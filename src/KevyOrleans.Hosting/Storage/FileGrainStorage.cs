using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace KevyOrleans.Hosting.Storage;

/// <summary>
/// Durable grain storage for one machine: one file per grain state under a root directory (see
/// <see cref="StateFileFormat"/> for the bytes and <see cref="StateFileName"/> for the names).
/// A write goes to a temp file in the same directory, is flushed to disk, renamed over the old file
/// and the directory flushed, so a crash leaves either the old or the new record, never a mix.
/// The ETag is the record's version; a write or clear whose ETag is not the stored one throws
/// <see cref="InconsistentStateException"/>, so of two activations of one grain only one writes.
/// </summary>
public sealed class FileGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const string LockDirectoryName = ".locks";

    private readonly string _name;
    private readonly FileGrainStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly ILogger _logger;
    private string? _root;
    private StateFileLocks? _locks;

    /// <summary>The provider named <paramref name="name"/>; it touches no file until the silo initializes it.</summary>
    /// <param name="name">The grain storage name, e.g. <c>kevy-votes</c>.</param>
    /// <param name="options">The root directory and the silo stage it is set up in.</param>
    /// <param name="serializer">How grain states become payloads.</param>
    /// <param name="activators">Creates an empty state for a grain without a record.</param>
    /// <param name="logger">Where initialization and removed temp files are logged.</param>
    public FileGrainStorage(string name, FileGrainStorageOptions options, IGrainStorageSerializer serializer,
        IActivatorProvider activators, ILogger<FileGrainStorage> logger)
    {
        _name = name;
        _options = options;
        _serializer = serializer;
        _activators = activators;
        _logger = logger;
    }

    /// <summary>The factory <c>AddGrainStorage</c> calls for the provider named <paramref name="name"/>.</summary>
    public static FileGrainStorage Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(name);
        var serializer = options.GrainStorageSerializer
            ?? services.GetKeyedService<IGrainStorageSerializer>(name)
            ?? new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        return new FileGrainStorage(name, options, serializer,
            services.GetRequiredService<IActivatorProvider>(), services.GetRequiredService<ILogger<FileGrainStorage>>());
    }

    /// <summary>The absolute root directory, known once the silo initialized the provider.</summary>
    public string RootDirectory => _root ?? throw NotInitialized();

    /// <summary>Sets up the root directory, its locks and the removal of orphaned temp files at the provider's init stage.</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(FileGrainStorage)}-{_name}", _options.InitStage, Init);

    /// <summary>
    /// Creates and probes the root directory, then removes the temp files crashed writes left
    /// (<see cref="OrphanedTempFiles"/>); the silo does not start when the directory is unusable.
    /// </summary>
    public async Task Init(CancellationToken cancellationToken)
    {
        var root = _options.RootDirectory;
        try
        {
            root = Path.GetFullPath(_options.RootDirectory);
            Directory.CreateDirectory(root);
            Directory.CreateDirectory(Path.Combine(root, LockDirectoryName));
            // Creating the directory proves little (it may exist read-only): write, flush and delete a probe.
            var probe = Path.Combine(root, $".probe-{Guid.NewGuid():N}{StateFileName.TempExtension}");
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: true);
            }
            File.Delete(probe);
            DirectorySync.Flush(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            FileGrainStorageLog.UnusableRoot(_logger, _name, root, e);
            throw new OrleansConfigurationException(
                $"File grain storage '{_name}': root directory '{root}' is not a writable directory: {e.Message}", e);
        }
        _root = root;
        _locks = new StateFileLocks(Path.Combine(root, LockDirectoryName), _options.LockTimeout);
        await OrphanedTempFiles.RemoveAsync(root, _locks, _name, _logger, cancellationToken).ConfigureAwait(false);
        FileGrainStorageLog.Initialized(_logger, _name, root);
    }

    /// <summary>Reads the grain's state file; no file means no record, a corrupt one throws <see cref="CorruptGrainStateException"/>.</summary>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var file = StateFileName.For(stateName, grainId);
        var path = PathOf(file);
        var record = await ReadRecordAsync(path, file).ConfigureAwait(false);
        if (record is not { } stored)
        {
            Reset(grainState);
            return;
        }
        grainState.State = Deserialize<T>(path, stored);
        grainState.ETag = ToETag(stored.Version);
        grainState.RecordExists = true;
    }

    /// <summary>Writes a new version of the grain's state file atomically; throws <see cref="InconsistentStateException"/> when the ETag is not the stored one.</summary>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var file = StateFileName.For(stateName, grainId);
        var path = PathOf(file);
        // Serialize before taking the lock: a state that cannot be serialized holds up nobody.
        var payload = _serializer.Serialize(grainState.State).ToMemory();
        await using (await Locks.AcquireAsync(file.FileName, CancellationToken.None).ConfigureAwait(false))
        {
            var stored = await ReadRecordAsync(path, file).ConfigureAwait(false);
            CheckETag("write", path, stored, grainState.ETag);
            // A record's first version is the clock in ticks, not 1: a record cleared and written again
            // then never reuses an ETag that a stale activation may still hold.
            var version = stored is { } current ? current.Version + 1 : (ulong)Math.Max(1, DateTime.UtcNow.Ticks);
            await ReplaceAsync(path, StateFileFormat.Encode(version, file.Identity, payload.Span)).ConfigureAwait(false);
            grainState.ETag = ToETag(version);
            grainState.RecordExists = true;
        }
    }

    /// <summary>Deletes the grain's state file; throws <see cref="InconsistentStateException"/> when the ETag is not the stored one.</summary>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var file = StateFileName.For(stateName, grainId);
        var path = PathOf(file);
        await using (await Locks.AcquireAsync(file.FileName, CancellationToken.None).ConfigureAwait(false))
        {
            var stored = await ReadRecordAsync(path, file).ConfigureAwait(false);
            CheckETag("clear", path, stored, grainState.ETag);
            if (stored is not null)
            {
                File.Delete(path);
                DirectorySync.Flush(RootDirectory);
            }
        }
        Reset(grainState);
    }

    /// <summary>Frees the per-state locks the provider holds.</summary>
    public void Dispose() => _locks?.Dispose();

    private StateFileLocks Locks => _locks ?? throw NotInitialized();

    private string PathOf(StateFileName file) => Path.Combine(RootDirectory, file.FileName);

    private InvalidOperationException NotInitialized() =>
        new($"File grain storage '{_name}' is not initialized; it initializes when the silo starts.");

    private static string ToETag(ulong version) => version.ToString(CultureInfo.InvariantCulture);

    private void Reset<T>(IGrainState<T> grainState)
    {
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>The verified record, or null when there is no file; a damaged file throws.</summary>
    private async Task<StoredRecord?> ReadRecordAsync(string path, StateFileName file)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null; // Only a missing file means "no record"; a missing root directory is an error.
        }
        try
        {
            return StateFileFormat.Decode(path, bytes, file.Identity);
        }
        catch (CorruptGrainStateException e)
        {
            FileGrainStorageLog.CorruptFile(_logger, _name, path, e.Problem, e);
            throw;
        }
    }

    private T Deserialize<T>(string path, StoredRecord record)
    {
        try
        {
            // A null state was written as null; hand back a fresh one as Orleans' providers do.
            return _serializer.Deserialize<T>(record.Payload) ?? _activators.GetActivator<T>().Create();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var problem = $"the payload does not deserialize as {typeof(T).FullName}: {e.Message}";
            FileGrainStorageLog.CorruptFile(_logger, _name, path, problem, e);
            throw new CorruptGrainStateException(path, problem, e);
        }
    }

    private void CheckETag(string operation, string path, StoredRecord? stored, string? given)
    {
        var storedETag = stored is { } record ? ToETag(record.Version) : null;
        if (string.Equals(storedETag, given, StringComparison.Ordinal))
        {
            return;
        }
        FileGrainStorageLog.ETagConflict(_logger, _name, operation, path, given ?? "(none)", storedETag ?? "(no record)");
        throw new InconsistentStateException(
            $"File grain storage '{_name}': {operation} of '{path}' refused: the caller's ETag is {given ?? "(none)"}, the stored ETag is {storedETag ?? "(no record)"}",
            storedETag ?? "(no record)", given ?? "(none)");
    }

    /// <summary>Temp file in the same directory, flushed, renamed over the target, directory flushed.</summary>
    private async Task ReplaceAsync(string path, byte[] bytes)
    {
        var temp = $"{path}.{Guid.NewGuid():N}{StateFileName.TempExtension}";
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp); // No-op when the rename happened or the file was never created.
            throw;
        }
        DirectorySync.Flush(RootDirectory);
    }
}
