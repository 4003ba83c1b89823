using KevyOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace KevyOrleans.Hosting.Tests.Storage;

/// <summary>
/// A real silo on free loopback ports whose only job is to host grain storage providers, so they
/// are built by the real DI registration, use the real serializer and are initialized by the real
/// silo lifecycle (the Azure provider creates its table there).
/// </summary>
public sealed class StorageSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private StorageSilo(IHost host) => _host = host;

    public static async Task<StorageSilo> StartAsync(Action<ISiloBuilder> configure)
    {
        var host = new HostBuilder()
            .UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort: FreePort.Get(), gatewayPort: FreePort.Get());
                configure(silo);
            })
            .ConfigureLogging(logging => logging.ClearProviders())
            .Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new StorageSilo(host);
    }

    public IGrainStorage GetStorage(string name) => _host.Services.GetRequiredKeyedService<IGrainStorage>(name);

    public async ValueTask DisposeAsync()
    {
        // No grains live here, so there is nothing to hand over; do not wait for a graceful drain.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
