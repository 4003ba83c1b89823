using KevyOrleans.Hosting.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace KevyOrleans.Hosting;

/// <summary>Registers Orleans' Azure Table grain storage as the vote storage (<c>Kevy:Storage:Provider</c> = <c>AzureTable</c>).</summary>
public static class AzureTableGrainStorageSiloBuilderExtensions
{
    private const string InnerSuffix = ".orleans-table";

    /// <summary>
    /// Registers Orleans' Azure Table grain storage under <paramref name="name"/>, reached either with a
    /// connection string or with a service URI and the managed identity (<c>DefaultAzureCredential</c>).
    /// Two settings differ from Orleans' defaults so both providers behave alike: clearing deletes the
    /// row (a cleared state reads back with no ETag, as in the file storage), and payloads use Orleans'
    /// binary serializer unless <paramref name="configure"/> sets another. Keys are escaped on the way
    /// in (see <see cref="TableKeyEscapingGrainStorage"/>) because Orleans' provider merges grain ids
    /// that differ only in '/', '\', '#', '?' and '_'.
    /// </summary>
    /// <param name="builder">The silo to register the storage on.</param>
    /// <param name="name">The grain storage name, normally <c>kevy-votes</c>.</param>
    /// <param name="connectionString">The storage account's connection string (<c>Kevy:Storage:ConnectionString</c>); null to use <paramref name="serviceUri"/>.</param>
    /// <param name="serviceUri">The table service URI used with the managed identity (<c>Kevy:Storage:ServiceUri</c>); null to use <paramref name="connectionString"/>.</param>
    /// <param name="configure">Further options (for example <c>TableName</c>), applied last.</param>
    public static ISiloBuilder AddKevyAzureTableGrainStorage(this ISiloBuilder builder, string name, string? connectionString, Uri? serviceUri,
        Action<AzureTableStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var hasConnectionString = !string.IsNullOrWhiteSpace(connectionString);
        if (hasConnectionString == (serviceUri is not null))
        {
            throw new ArgumentException(
                $"Azure Table grain storage '{name}' needs exactly one of a connection string and a service URI (with managed identity); "
                + (hasConnectionString ? "both were given." : "neither was given."),
                hasConnectionString ? nameof(serviceUri) : nameof(connectionString));
        }
        return builder.AddKevyAzureTableGrainStorage(name, new AzureTableAccount(hasConnectionString ? connectionString : null, serviceUri), configure);
    }

    /// <summary>As the other overload, with the account a configuration section named (<see cref="AzureTableAccount.Read"/>).</summary>
    public static ISiloBuilder AddKevyAzureTableGrainStorage(this ISiloBuilder builder, string name, AzureTableAccount account,
        Action<AzureTableStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(account);
        // Orleans' provider lives under an inner name; the name callers use gets it behind key escaping.
        var innerName = $"{name}{InnerSuffix}";
        builder.ConfigureServices(services => services.AddGrainStorage(name,
            (sp, _) => new TableKeyEscapingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(innerName))));
        return builder.AddAzureTableGrainStorage(innerName, optionsBuilder => optionsBuilder.Configure<IServiceProvider>((options, services) =>
        {
            options.TableServiceClient = account.CreateClient();
            options.DeleteStateOnClear = true;
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
            configure?.Invoke(options);
        }));
    }
}
