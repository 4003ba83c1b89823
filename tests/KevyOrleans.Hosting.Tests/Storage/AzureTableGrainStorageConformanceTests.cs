using Orleans.Storage;

namespace KevyOrleans.Hosting.Tests.Storage;

public sealed class AzureTableGrainStorageConformanceTests(AzureTableStorageFixture fixture)
    : GrainStorageConformanceTests, IClassFixture<AzureTableStorageFixture>
{
    protected override IGrainStorage Storage => fixture.Storage;

    protected override string ProviderName => AzureTableStorageFixture.ProviderName;

    protected override Task<StorageSilo> StartSecondSiloAsync() => fixture.StartSiloAsync();
}
