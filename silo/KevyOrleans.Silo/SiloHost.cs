using System.Net;
using KevyOrleans.Grains;
using KevyOrleans.Gateway;
using KevyOrleans.Hosting;
using KevyOrleans.Silo.Admin;
using KevyOrleans.Silo.Tls;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace KevyOrleans.Silo;

/// <summary>Builds the silo process: configuration, Orleans with kevy election and gateway, the admin API.</summary>
public static class SiloHost
{
    /// <summary>
    /// Builds (does not start) the silo. Throws <see cref="ConfigurationProblem"/> with every error,
    /// each naming its key and bad value, before anything listens.
    /// </summary>
    /// <param name="configureSilo">Tests replace parts of the silo here (e.g. scripted data nodes).</param>
    public static WebApplication Build(string[] args, Action<ISiloBuilder>? configureSilo = null)
    {
        var arguments = SiloConfiguration.Parse(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = arguments.Rest,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        SiloConfiguration.Apply(builder.Configuration, arguments, builder.Environment.ContentRootPath);
        var config = builder.Configuration;
        var settings = SiloConfigurationCheck.Read(config);
        if (!settings.IsValid)
        {
            throw new ConfigurationProblem(string.Join(Environment.NewLine, settings.Messages));
        }
        var admin = settings.Section<AdminOptions>();

        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.WebHost.UseUrls(admin.Url);
        builder.Services.AddSingleton(Options.Create(admin));
        builder.Services.TryAddSingleton<GroupSwitchover>(); // the Sentinel endpoint shares it (one lock per group)
        builder.AddKevyTelemetry();

        builder.UseOrleans(silo =>
        {
            UseClustering(silo, settings.Clustering!);
            silo.UseKevySiloTls(settings.Section<SiloTlsOptions>());
            silo.AddKevyElection(settings);
            silo.AddKevyGateway(config.GetSection(KevyOrleans.Gateway.GatewayOptions.SectionName));
            silo.AddKevySentinel(config.GetSection(KevyOrleans.Gateway.Sentinel.SentinelOptions.SectionName));
            silo.AddKevyHooks(config.GetSection(KevyOrleans.Hosting.Hooks.HooksOptions.SectionName));
            silo.AddKevyAdmin();
            configureSilo?.Invoke(silo);
        });

        var app = builder.Build();
        app.MapKevyAdmin();
        return app;
    }

    private static void UseClustering(ISiloBuilder silo, ClusteringChoice choice)
    {
        var clustering = choice.Options;
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clustering.ClusterId;
            o.ServiceId = clustering.ServiceId;
        });
        // Rule 13: unset values are derived from the timings so a dead silo's members are back within the lease window.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = choice.Detection.ProbeTimeout;
            o.NumMissedProbesLimit = choice.Detection.MissedProbesLimit;
            o.TableRefreshTimeout = choice.Membership.TableRefreshTimeout;
            o.IAmAliveTablePublishTimeout = choice.Membership.IAmAlivePublishTimeout;
            o.DeathVoteExpirationTimeout = choice.Membership.DeathVoteExpiration;
            o.NumVotesForDeathDeclaration = choice.Membership.VotesForDeath;
        });
        if (choice is { Provider: ClusteringProvider.AzureTable, Account: { } account })
        {
            var table = account.CreateClient();
            silo.UseAzureStorageClustering(o => o.TableServiceClient = table);
            silo.UseAzureTableReminderService(o => o.TableServiceClient = table);
            var address = choice.AdvertisedAddress ?? DefaultAddress();
            // Listen on every interface (containers advertise one address and are reached on another),
            // except when advertising loopback: a one-machine fleet stays off the network.
            silo.ConfigureEndpoints(address, clustering.SiloPort, clustering.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
            return;
        }
        var primary = clustering.PrimarySiloPort > 0 ? new IPEndPoint(IPAddress.Loopback, clustering.PrimarySiloPort) : null;
        silo.UseLocalhostClustering(clustering.SiloPort, clustering.GatewayPort, primary, clustering.ServiceId, clustering.ClusterId);
    }

    private static IPAddress DefaultAddress() =>
        Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
