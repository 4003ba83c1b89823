using System.Net;
using Azure.Data.Tables;
using Azure.Identity;

using KevyOrleans.Grains;
using KevyOrleans.Gateway;
using KevyOrleans.Hosting;
using KevyOrleans.Silo.Admin;
using OpenTelemetry.Metrics;
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
        var problems = SiloConfigurationCheck.Find(config);
        if (problems.Count > 0)
        {
            throw new ConfigurationProblem(string.Join(Environment.NewLine, problems));
        }
        var clustering = config.GetSection(ClusteringOptions.SectionName).Get<ClusteringOptions>() ?? new ClusteringOptions();
        var admin = config.GetSection(AdminOptions.SectionName).Get<AdminOptions>() ?? new AdminOptions();

        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.WebHost.UseUrls(admin.Url);
        builder.Services.Configure<AdminOptions>(config.GetSection(AdminOptions.SectionName));
        builder.Services.AddSingleton<GroupSwitchover>();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(KevyMetrics.MeterName)
            .AddPrometheusExporter());

        builder.UseOrleans(silo =>
        {
            UseClustering(silo, clustering, config.GetSection(KevyElectionOptions.SectionName).Get<KevyElectionOptions>() ?? new KevyElectionOptions());
            silo.AddKevyElection(config.GetSection(KevyElectionOptions.SectionName));
            silo.AddKevyGateway(config.GetSection(KevyOrleans.Gateway.GatewayOptions.SectionName));
            silo.AddKevyAdmin();
            configureSilo?.Invoke(silo);
        });

        var app = builder.Build();
        app.MapKevyAdmin();
        return app;
    }

    private static void UseClustering(ISiloBuilder silo, ClusteringOptions clustering, KevyElectionOptions election)
    {
        // Rule 13: unset values are derived from the timings so a dead silo's members are back within the lease window.
        var detection = FailureDetection.Derive(election, clustering.ProbeTimeoutMs, clustering.MissedProbesLimit);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clustering.ClusterId;
            o.ServiceId = clustering.ServiceId;
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = detection.ProbeTimeout;
            o.NumMissedProbesLimit = detection.MissedProbesLimit;
        });
        if (clustering.Provider == "AzureTable")
        {
            var table = TableClient(clustering.ConnectionString, clustering.ServiceUri);
            silo.UseAzureStorageClustering(o => o.TableServiceClient = table);
            silo.UseAzureTableReminderService(o => o.TableServiceClient = table);
            var address = string.IsNullOrWhiteSpace(clustering.AdvertisedAddress) ? DefaultAddress() : IPAddress.Parse(clustering.AdvertisedAddress);
            // Listen on every interface (containers advertise one address and are reached on another),
            // except when advertising loopback: a one-machine fleet stays off the network.
            silo.ConfigureEndpoints(address, clustering.SiloPort, clustering.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
            return;
        }
        var primary = clustering.PrimarySiloPort > 0 ? new IPEndPoint(IPAddress.Loopback, clustering.PrimarySiloPort) : null;
        silo.UseLocalhostClustering(clustering.SiloPort, clustering.GatewayPort, primary, clustering.ServiceId, clustering.ClusterId);
    }

    private static TableServiceClient TableClient(string? connectionString, string? serviceUri) =>
        !string.IsNullOrWhiteSpace(connectionString)
            ? new TableServiceClient(connectionString)
            : new TableServiceClient(new Uri(serviceUri!), new DefaultAzureCredential());

    private static IPAddress DefaultAddress() =>
        Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
