using KevyOrleans.Gateway.Sentinel;
using KevyOrleans.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Gateway;

/// <summary>Registers the Sentinel-compatible endpoint on an Orleans silo.</summary>
public static class KevySentinelSiloBuilderExtensions
{
    /// <summary>Adds the Sentinel endpoint, reading the <c>Kevy:Sentinel</c> section.</summary>
    public static ISiloBuilder AddKevySentinel(this ISiloBuilder builder, IConfiguration sentinelSection)
    {
        ArgumentNullException.ThrowIfNull(sentinelSection);
        return builder.AddKevySentinel(sentinelSection.Bind);
    }

    /// <summary>
    /// Adds the Sentinel endpoint: once the silo is active and <see cref="SentinelOptions.Port"/> is above 0,
    /// a RESP listener that answers Sentinel clients (the master name is the group name) from the group
    /// grains' status and publishes Sentinel's events when this silo's view changes. Use with <c>AddKevyElection</c>.
    /// </summary>
    public static ISiloBuilder AddKevySentinel(this ISiloBuilder builder, Action<SentinelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SentinelOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SentinelOptions>, SentinelOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SentinelMetrics>();
        services.TryAddSingleton<GroupSwitchover>(); // one per silo: it holds the per-group lock the admin API shares
        services.AddSingleton<SentinelService>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SentinelService>());
        return builder;
    }
}

internal sealed class SentinelOptionsValidator : IValidateOptions<SentinelOptions>
{
    public ValidateOptionsResult Validate(string? name, SentinelOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
