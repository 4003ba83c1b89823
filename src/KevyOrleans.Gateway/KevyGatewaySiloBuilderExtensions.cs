using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using KevyOrleans.Gateway.Outbound;
using KevyOrleans.Grains;

namespace KevyOrleans.Gateway;

/// <summary>Registers the kevy wire gateway on an Orleans silo.</summary>
public static class KevyGatewaySiloBuilderExtensions
{
    /// <summary>Adds the kevy wire gateway, reading the <c>Kevy:Gateway</c> section.</summary>
    public static ISiloBuilder AddKevyGateway(this ISiloBuilder builder, IConfiguration gatewaySection)
    {
        ArgumentNullException.ThrowIfNull(gatewaySection);
        return builder.AddKevyGateway(gatewaySection.Bind);
    }

    /// <summary>
    /// Adds the kevy wire gateway: a listener on every hosted member's elect port (opened once the silo
    /// is active) so external kevy servers reach hosted members, and an outbound link per (hosted
    /// member, external member) so hosted members reach them. Use with <c>AddKevyElection</c>.
    /// </summary>
    public static ISiloBuilder AddKevyGateway(this ISiloBuilder builder, Action<GatewayOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<Security.GatewayTls>();
        // Frames to external members go over this silo's outbound links, replacing the dropping default.
        services.TryAddSingleton<OutboundLinks>();
        services.RemoveAll<IExternalMemberTransport>();
        services.AddSingleton<IExternalMemberTransport>(sp => sp.GetRequiredService<OutboundLinks>());
        services.AddSingleton<GatewayService>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<GatewayService>());
        return builder;
    }
}

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
