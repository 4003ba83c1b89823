using Orleans;
using Orleans.Storage;

namespace KevyOrleans.Hosting.Storage;

/// <summary>Options of one named <see cref="FileGrainStorage"/>.</summary>
public sealed class FileGrainStorageOptions
{
    /// <summary>
    /// The directory holding one file per grain state. Created at silo start; relative paths are
    /// resolved against the process's current directory then.
    /// </summary>
    public string RootDirectory { get; set; } = "";

    /// <summary>
    /// The serializer of state payloads. When null, a serializer registered for the provider's name
    /// (keyed <see cref="IGrainStorageSerializer"/>) is used, else Orleans' own binary serializer, so
    /// every <c>[GenerateSerializer]</c> type round-trips, including ones without public setters.
    /// </summary>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }

    /// <summary>How long a write waits for another process holding the same lock stripe.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The silo lifecycle stage at which the directory is created and probed.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;
}
