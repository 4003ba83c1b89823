using Orleans.Storage;

namespace KevyOrleans.Hosting.Tests.Storage;

public sealed class FileGrainStorageConformanceTests(FileStorageFixture fixture)
    : GrainStorageConformanceTests, IClassFixture<FileStorageFixture>
{
    protected override IGrainStorage Storage => fixture.Storage;

    protected override string ProviderName => FileStorageFixture.ProviderName;

    protected override Task<StorageSilo> StartSecondSiloAsync() => fixture.StartSiloAsync();
}
