using KevyOrleans.Testing;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace KevyOrleans.Cluster.Tests.Support;

/// <summary>Each test silo: Azurite clustering with fast failure detection, kevy election, controlled storage.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    private const string InnerStorage = "kevy-votes-inner";

    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        var config = siloBuilder.Configuration;
        var azurite = config["Test:Azurite"]!;
        siloBuilder.UseAzureStorageClustering(o => o.TableServiceClient = new Azure.Data.Tables.TableServiceClient(azurite));
        // Declare a killed silo dead in about a second, so its members come back well within 2 x down_after.
        siloBuilder.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromMilliseconds(300);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromMilliseconds(500);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
        });
        siloBuilder.AddKevyElection(config.GetSection(KevyElectionOptions.SectionName));
        if (config["Test:VoteStore"] == nameof(VoteStore.AzureTable))
        {
            siloBuilder.AddKevyAzureTableGrainStorage(InnerStorage, azurite, null);
        }
        else
        {
            siloBuilder.AddKevyFileGrainStorage(InnerStorage, o => o.RootDirectory = config["Test:DataDirectory"]!);
        }
        siloBuilder.Services.AddGrainStorage(KevyStorageNames.ElectionState, (sp, _) =>
            new ControlledGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
        siloBuilder.Services.AddSingleton<IDataNodeFactory, ScriptedDataNodeFactory>();
        siloBuilder.AddIncomingGrainCallFilter<FrameJournalFilter>();
    }
}

public sealed class TestClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.UseAzureStorageClustering(o => o.TableServiceClient = new Azure.Data.Tables.TableServiceClient(configuration["Test:Azurite"]));
}
