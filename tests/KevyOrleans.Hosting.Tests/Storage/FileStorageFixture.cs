using Orleans.Storage;

namespace KevyOrleans.Hosting.Tests.Storage;

/// <summary>A silo with a file grain storage over a fresh temp directory, deleted afterwards.</summary>
public sealed class FileStorageFixture : IAsyncLifetime
{
    public const string ProviderName = "kevy-file";

    private StorageSilo? _silo;

    public string RootDirectory { get; } = Path.Combine(Path.GetTempPath(), $"kevy-file-storage-{Guid.NewGuid():N}");

    public IGrainStorage Storage => _silo!.GetStorage(ProviderName);

    /// <summary>Another silo over the same directory, as after a restart or in a second process.</summary>
    public Task<StorageSilo> StartSiloAsync() =>
        StorageSilo.StartAsync(silo => silo.AddKevyFileGrainStorage(ProviderName, o => o.RootDirectory = RootDirectory));

    public async Task InitializeAsync() => _silo = await StartSiloAsync();

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (Directory.Exists(RootDirectory))
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
    }
}
