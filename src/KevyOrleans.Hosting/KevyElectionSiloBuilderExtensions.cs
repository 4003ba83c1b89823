using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Hosting;

public static class KevyElectionSiloBuilderExtensions
{
    /// <summary>Hosts the configured groups' members on this silo, reading the <c>Kevy</c> section.</summary>
    public static ISiloBuilder AddKevyElection(this ISiloBuilder builder, IConfiguration kevySection)
    {
        ArgumentNullException.ThrowIfNull(kevySection);
        return builder.AddKevyElection(kevySection.Bind);
    }

    /// <summary>
    /// Hosts the configured groups' members on this silo: member and group grains, the supervisor that
    /// keeps every hosted member active, the RESP data-node agent (unless the host registers its own
    /// <see cref="IDataNodeFactory"/>), and the <c>kevy-votes</c> grain storage chosen by
    /// <see cref="KevyStorageOptions.Provider"/>. Invalid options stop the silo at start with every
    /// error, each naming its key and value; warnings are logged.
    /// </summary>
    public static ISiloBuilder AddKevyElection(this ISiloBuilder builder, Action<KevyElectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<KevyElectionOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KevyElectionOptions>, ElectionValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KevyMetrics>();
        services.TryAddSingleton<IExternalMemberTransport, UnroutedExternalTransport>();
        services.TryAddSingleton<IGroupCatalog>(sp => BuildCatalog(sp));
        // Try: a host (or a test) that registers its own IDataNodeFactory, before or after this call, wins.
        services.TryAddSingleton<IDataNodeFactory, RespDataNodeFactory>();
        services.AddOptions<MemberRuntimeOptions>().Configure<IOptions<KevyElectionOptions>>((runtime, kevy) =>
            runtime.StorageTimeout = TimeSpan.FromMilliseconds(kevy.Value.StorageTimeoutMs));
        services.AddSingleton<MemberSupervisor>(sp => new MemberSupervisor(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IGroupCatalog>(),
            sp.GetRequiredService<ILogger<MemberSupervisor>>(),
            SupervisorInterval(sp.GetRequiredService<IOptions<KevyElectionOptions>>().Value)));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<MemberSupervisor>());

        var options = new KevyElectionOptions();
        configure(options);
        builder.AddKevyVoteStorage(options.Storage);
        return builder;
    }

    /// <summary>down_after / 4 by default: a lost silo's members are back well within 2 x down_after.</summary>
    internal static TimeSpan SupervisorInterval(KevyElectionOptions options) =>
        TimeSpan.FromMilliseconds(options.SupervisorIntervalMs > 0
            ? options.SupervisorIntervalMs
            : Math.Max(50, options.Timings.DownAfterMs / 4));

    private static GroupCatalog BuildCatalog(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<KevyElectionOptions>>().Value; // validated: throws with every error
        var result = KevyConfiguration.Read(options);
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("KevyOrleans.Configuration");
        foreach (var warning in result.Warnings)
        {
            HostingLog.ConfigurationWarning(logger, warning);
        }
        return new GroupCatalog(result.Groups);
    }
}
