using KevyOrleans.Grains;
using KevyOrleans.Hosting;
using KevyOrleans.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Hosting.Tests.Configuration;

/// <summary>Every invalid value of the <c>Kevy</c> section is reported with its key; valid ones build the catalog.</summary>
public sealed class KevyConfigurationTests
{
    private const string Peers = "n1@127.0.0.1:6301:6101,n2@127.0.0.1:6302:6102,w3@127.0.0.1:6303";

    private static KevyElectionOptions Valid() => new()
    {
        Groups = [new KevyGroupOptions { Name = "orders", Peers = Peers, Hosted = "n1,n2,w3", Witnesses = "w3", DataNodes = "redis" }],
    };

    [Fact]
    public void The_contract_example_builds_one_group()
    {
        var result = KevyConfiguration.Read(Valid());
        Assert.Empty(result.Errors);
        var group = Assert.Single(result.Groups);
        Assert.Equal("orders", group.Name);
        Assert.Equal(["n1", "n2", "w3"], group.Hosted.Order());
        Assert.True(group.Election.IsWitness("w3"));
        Assert.Equal(DataNodeKind.Redis, group.DataNodes);
        Assert.Equal(TimeSpan.FromMilliseconds(5000), group.Timings.DownAfter);
        Assert.Equal(2, group.Election.Quorum);
    }

    public static TheoryData<string, Action<KevyElectionOptions>, string> Invalid => new()
    {
        { "provider", o => o.Storage.Provider = "Blob", "Kevy:Storage:Provider is 'Blob'; it must be 'File', 'AzureTable' or 'Custom'" },
        { "file path", o => o.Storage.Path = " ", "Kevy:Storage:Path is empty" },
        { "azure neither", o => o.Storage.Provider = "AzureTable", "the AzureTable provider needs exactly one of ConnectionString or ServiceUri" },
        { "azure both", o => { o.Storage.Provider = "AzureTable"; o.Storage.ConnectionString = "UseDevelopmentStorage=true"; o.Storage.ServiceUri = "https://a.table.core.windows.net"; }, "exactly one of ConnectionString or ServiceUri" },
        { "azure uri", o => { o.Storage.Provider = "AzureTable"; o.Storage.ServiceUri = "not a uri"; }, "Kevy:Storage:ServiceUri is 'not a uri'" },
        { "heartbeat", o => o.Timings.HeartbeatMs = 0, "Kevy:Timings: HeartbeatMs is 0 ms; it must be greater than 0" },
        { "down after", o => o.Timings.DownAfterMs = 300, "Kevy:Timings: DownAfterMs is 300 ms; it must be at least 4 x HeartbeatMs (800 ms)" },
        { "election timeout", o => o.Timings.ElectionTimeoutMs = -5, "Kevy:Timings: ElectionTimeoutMs is -5 ms" },
        { "backoff", o => o.Timings.BackoffMs = -1, "Kevy:Timings: BackoffMs is -1 ms; it must not be negative" },
        { "storage timeout", o => o.StorageTimeoutMs = 0, "Kevy:StorageTimeoutMs is 0" },
        { "group name", o => o.Groups[0].Name = "a/b", "Kevy:Groups:0:Name: group name 'a/b'" },
        { "duplicate group", o => o.Groups.Add(new KevyGroupOptions { Name = "orders", Peers = Peers, Hosted = "n1" }), "Kevy:Groups:1:Name: group 'orders' is defined twice" },
        { "peers", o => o.Groups[0].Peers = "n1@:6301:6101,n2@127.0.0.1:6302:6102", "Kevy:Groups:0:Peers: member 'n1@:6301:6101': missing host" },
        { "bad port", o => o.Groups[0].Peers = "n1@h:99999:6101,n2@h:6302:6102", "Kevy:Groups:0:Peers: member 'n1@h:99999:6101': bad port '99999'" },
        { "hosted stranger", o => o.Groups[0].Hosted = "n1,n9", "Kevy:Groups:0:Hosted: 'n9' is not in the member list" },
        { "hosted empty", o => o.Groups[0].Hosted = "", "Kevy:Groups:0:Hosted is empty" },
        { "two-field data node", o => o.Groups[0].Peers = "n1@127.0.0.1:6301,n2@127.0.0.1:6302:6102,w3@127.0.0.1:6303", "Kevy:Groups:0:Peers: hosted member 'n1@127.0.0.1:6301' has a data node, so its entry needs the form id@host:elect_port:client_port" },
        { "data nodes", o => o.Groups[0].DataNodes = "mysql", "Kevy:Groups:0:DataNodes is 'mysql'; it must be 'kevy' or 'redis'" },
        { "witness order", o => { o.Groups[0].Peers = "n1@h:1:2,n2@h:3:4,a3@h:5"; o.Groups[0].Hosted = "n1"; o.Groups[0].Witnesses = "a3"; }, "Kevy:Groups:0:Witnesses: witness 'a3' sorts before data node 'n1'" },
        { "witness stranger", o => o.Groups[0].Witnesses = "w9", "Kevy:Groups:0:Witnesses: witness 'w9' is not in the member list" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_invalid_value_is_named(string what, Action<KevyElectionOptions> breakIt, string expected)
    {
        var options = Valid();
        breakIt(options);
        var result = KevyConfiguration.Read(options);
        Assert.False(result.IsValid, what);
        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_member_groups_and_empty_deployments_warn_without_failing()
    {
        var options = Valid();
        options.Groups[0] = new KevyGroupOptions { Name = "pair", Peers = "a@h:1:2,b@h:3:4", Hosted = "a,b" };
        var result = KevyConfiguration.Read(options);
        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Contains("group of two members: quorum is 2", StringComparison.Ordinal));
        Assert.Contains("Kevy:Groups is empty", Assert.Single(KevyConfiguration.Read(new KevyElectionOptions()).Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void The_supervisor_interval_defaults_to_a_quarter_of_down_after()
    {
        var options = Valid();
        Assert.Equal(TimeSpan.FromMilliseconds(1250), KevyConfiguration.SupervisorInterval(options));
        options.SupervisorIntervalMs = 300;
        Assert.Equal(TimeSpan.FromMilliseconds(300), KevyConfiguration.SupervisorInterval(options));
    }

    [Fact]
    public async Task A_silo_with_an_invalid_section_does_not_start_and_names_every_bad_key()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kevy:Storage:Path"] = Path.Combine(Path.GetTempPath(), $"kevy-{Guid.NewGuid():N}"),
            ["Kevy:Timings:HeartbeatMs"] = "0",
            ["Kevy:Groups:0:Name"] = "orders",
            ["Kevy:Groups:0:Peers"] = "n1@127.0.0.1:6301:6101,n1@127.0.0.1:6302:6102",
            ["Kevy:Groups:0:Hosted"] = "n1",
        }).Build();
        using var host = Host.CreateDefaultBuilder()
            .UseOrleans(silo => silo
                .UseLocalhostClustering(FreePort.Get(), FreePort.Get())
                .AddKevyElection(config.GetSection("Kevy")))
            .Build();
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Kevy:Timings: HeartbeatMs is 0 ms", e.Message, StringComparison.Ordinal);
        Assert.Contains("Kevy:Groups:0:Peers: member 'n1@127.0.0.1:6302:6102': duplicate node id 'n1'", e.Message, StringComparison.Ordinal);
    }
}
