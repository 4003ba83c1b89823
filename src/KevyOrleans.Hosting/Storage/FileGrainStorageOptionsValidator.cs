using Orleans;
using Orleans.Runtime;

namespace KevyOrleans.Hosting.Storage;

/// <summary>
/// Rejects options that can never work before anything starts. Whether the directory is usable is
/// checked at init, where it is created and probed.
/// </summary>
internal sealed class FileGrainStorageOptionsValidator(FileGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
        {
            throw new OrleansConfigurationException(
                $"File grain storage '{name}': {nameof(FileGrainStorageOptions.RootDirectory)} is empty; set the directory that holds the grain state files.");
        }
        if (options.RootDirectory.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new OrleansConfigurationException(
                $"File grain storage '{name}': {nameof(FileGrainStorageOptions.RootDirectory)} '{options.RootDirectory}' contains characters that are invalid in a path.");
        }
        if (options.LockTimeout <= TimeSpan.Zero)
        {
            throw new OrleansConfigurationException(
                $"File grain storage '{name}': {nameof(FileGrainStorageOptions.LockTimeout)} is {options.LockTimeout}; it must be positive.");
        }
    }
}
