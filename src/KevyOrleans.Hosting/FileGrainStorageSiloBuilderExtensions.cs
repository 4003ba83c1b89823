using KevyOrleans.Hosting.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;

namespace KevyOrleans.Hosting;

/// <summary>Registers the embedded file grain storage, the default vote storage (<c>Kevy:Storage:Provider</c> = <c>File</c>).</summary>
public static class FileGrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="FileGrainStorage"/> as the grain storage named <paramref name="name"/>
    /// (keyed <c>IGrainStorage</c>, the way Orleans' own providers register). Empty options stop the
    /// silo at start through a configuration validator; an unusable directory stops it at init.
    /// </summary>
    public static ISiloBuilder AddKevyFileGrainStorage(this ISiloBuilder builder, string name, Action<FileGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureServices(services =>
        {
            services.AddOptions<FileGrainStorageOptions>(name).Configure(configure);
            services.AddTransient<IConfigurationValidator>(sp => new FileGrainStorageOptionsValidator(
                sp.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(name), name));
            services.AddGrainStorage(name, FileGrainStorage.Create);
        });
    }
}
