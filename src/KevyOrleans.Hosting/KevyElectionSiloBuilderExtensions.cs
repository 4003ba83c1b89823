using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Grains.Placement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Hosting;

/// <summary>Adds the kevy election (groups, member grains, supervisor, vote storage) to an Orleans silo.</summary>
public static class KevyElectionSiloBuilderExtensions
{
    /// <summary>Hosts the configured groups' members on this silo, reading the <c>Kevy</c> section once (<see cref="KevyConfiguration.Read(IConfiguration, IReadOnlyCollection{KevyHostSection}?)"/>).</summary>
    public static ISiloBuilder AddKevyElection(this ISiloBuilder builder, IConfiguration kevySection)
    {
        ArgumentNullException.ThrowIfNull(kevySection);
        return builder.AddKevyElection(KevyConfiguration.Read(kevySection));
    }

    /// <summary>Hosts the configured groups' members on this silo, with options built in code.</summary>
    public static ISiloBuilder AddKevyElection(this ISiloBuilder builder, Action<KevyElectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new KevyElectionOptions();
        configure(options);
        return builder.AddKevyElection(KevyConfiguration.Read(options));
    }

    /// <summary>
    /// Hosts the configured groups' members on this silo: member and group grains, the supervisor that
    /// keeps every hosted member active, the RESP data-node agent (unless the host registers its own
    /// <see cref="IDataNodeFactory"/>), and the <c>kevy-votes</c> grain storage chosen by
    /// <see cref="KevySettings.Storage"/>. A model with errors stops the silo at start with every
    /// error, each naming its key and value; warnings are logged.
    /// </summary>
    public static ISiloBuilder AddKevyElection(this ISiloBuilder builder, KevySettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddOptions<KevyElectionOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<KevyElectionOptions>>(new ElectionValidator(settings));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KevyMetrics>();
        services.TryAddSingleton<IExternalMemberTransport, UnroutedExternalTransport>();
        services.TryAddSingleton(sp => BuildCatalog(sp, settings));
        services.TryAddSingleton<IGroupCatalog>(sp => sp.GetRequiredService<RuntimeGroupCatalog>());
        // Run-time groups (PUT /groups/{name}): the cluster's registry, polled at the supervisor's interval.
        services.AddSingleton(sp => new GroupRegistrySync(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<RuntimeGroupCatalog>(), settings,
            sp.GetRequiredService<ILogger<GroupRegistrySync>>(), settings.SupervisorInterval));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<GroupRegistrySync>());
        services.AddSingleton<GroupRegistryService>();
        // Try: a host (or a test) that registers its own IDataNodeFactory, before or after this call, wins.
        services.TryAddSingleton<IDataNodeFactory, RespDataNodeFactory>();
        services.AddOptions<MemberRuntimeOptions>().Configure(runtime =>
        {
            runtime.StorageTimeout = settings.StorageTimeout;
            runtime.PlacementCheckInterval = settings.SupervisorInterval;
        });
        // A group's members on distinct silos, and planned moves when they share one (src/README.md, "Placement").
        builder.AddPlacementDirector<SpreadPlacement, SpreadPlacementDirector>();
        services.TryAddSingleton<LocalMembers>();
        services.TryAddSingleton<MemberRebalancer>();
        services.AddSingleton<MemberSupervisor>(sp => new MemberSupervisor(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IGroupCatalog>(),
            sp.GetRequiredService<ILogger<MemberSupervisor>>(),
            settings.SupervisorInterval));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<MemberSupervisor>());
        builder.AddKevyVoteStorage(settings.Storage);
        return builder;
    }

    private static RuntimeGroupCatalog BuildCatalog(IServiceProvider sp, KevySettings settings)
    {
        _ = sp.GetRequiredService<IOptions<KevyElectionOptions>>().Value; // validated: throws with every error
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("KevyOrleans.Configuration");
        foreach (var warning in settings.Warnings)
        {
            HostingLog.ConfigurationWarning(logger, warning);
        }
        return new RuntimeGroupCatalog(settings.Groups);
    }
}
