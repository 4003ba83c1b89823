using KevyOrleans.Testing;
using Orleans.Storage;

namespace KevyOrleans.Hosting.Tests.Storage;

/// <summary>
/// A real Azurite and a silo with the Azure Table grain storage on it, in a table of its own.
/// </summary>
public sealed class AzureTableStorageFixture : IAsyncLifetime
{
    public const string ProviderName = "kevy-table";

    private StorageSilo? _silo;

    public AzuriteFixture Azurite { get; } = new();

    /// <summary>Letters and digits only, as Azure table names require; unique per fixture.</summary>
    public string TableName { get; } = $"kevy{Guid.NewGuid():N}";

    public IGrainStorage Storage => _silo!.GetStorage(ProviderName);

    /// <summary>Another silo over the same storage account and table, as after a restart.</summary>
    public Task<StorageSilo> StartSiloAsync() =>
        StorageSilo.StartAsync(silo => silo.AddKevyAzureTableGrainStorage(
            ProviderName, Azurite.ConnectionString, serviceUri: null, options => options.TableName = TableName));

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        _silo = await StartSiloAsync();
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        await Azurite.DisposeAsync();
    }
}
