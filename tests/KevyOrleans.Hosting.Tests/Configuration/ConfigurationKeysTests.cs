using KevyOrleans.Election;
using KevyOrleans.Grains;
using KevyOrleans.Hosting;
using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Hosting.Tests.Configuration;

/// <summary>
/// The reader binds the section once and checks it once: a misspelt key is an error naming it (a silently
/// ignored timing is a wrong failover), every value that does not convert is named, and provider names
/// match in any case.
/// </summary>
public sealed class ConfigurationKeysTests
{
    private const string Peers = "n1@127.0.0.1:6301:6101,n2@127.0.0.1:6302:6102,w3@127.0.0.1:6303";

    private static KevySettings Read(params (string Key, string Value)[] values)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kevy:Groups:0:Name"] = "orders",
            ["Kevy:Groups:0:Peers"] = Peers,
            ["Kevy:Groups:0:Hosted"] = "n1,n2,w3",
            ["Kevy:Groups:0:Witnesses"] = "w3",
            ["Kevy:Groups:0:DataNodes"] = "redis",
        };
        foreach (var (key, value) in values)
        {
            settings[key] = value;
        }
        return KevyConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Kevy"));
    }

    [Fact]
    public void A_valid_section_has_no_error_and_builds_the_group()
    {
        var settings = Read(("Kevy:Timings:DownAfterMs", "6000"));
        Assert.Empty(settings.Errors);
        Assert.Equal(TimeSpan.FromMilliseconds(6000), Assert.Single(settings.Groups).Timings.DownAfter);
        Assert.Equal(new VoteStorageChoice(VoteStorageProvider.File, "data", null), settings.Storage);
        Assert.Equal(ClusteringProvider.Localhost, settings.Clustering?.Provider);
    }

    [Theory]
    [InlineData("Kevy:Timings:DownAfter", "Kevy:Timings", "DownAfterMs")]
    [InlineData("Kevy:Storage:Pth", "Kevy:Storage", "Path")]
    [InlineData("Kevy:Clustering:SiloPrt", "Kevy:Clustering", "SiloPort")]
    [InlineData("Kevy:Groups:0:Peer", "Kevy:Groups:0", "Peers")]
    [InlineData("Kevy:StorageTimeout", "Kevy", "StorageTimeoutMs")]
    public void A_misspelt_key_is_an_error_naming_it_and_the_keys_that_exist(string key, string section, string meant)
    {
        var error = Assert.Single(Read((key, "1000")).Errors);
        Assert.Equal(key, error.Key);
        Assert.Equal("1000", error.Value);
        Assert.StartsWith($"{key} is not a configuration key (a typo?); the keys of {section} are ", error.Message, StringComparison.Ordinal);
        Assert.Contains(meant, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_match_in_any_case_as_the_binder_matches_them()
    {
        var settings = Read(("Kevy:timings:downafterms", "6000"));
        Assert.Empty(settings.Errors);
        Assert.Equal(6000, settings.Options.Timings.DownAfterMs);
    }

    [Fact]
    public void Group_entries_must_be_numbered()
    {
        // The binder still takes the entry (here as a second 'orders'); the error names the key that is not a number.
        var errors = Read(("Kevy:Groups:orders:Name", "orders")).Errors;
        Assert.Contains(errors, e => e.Key == "Kevy:Groups:orders" && e.Message.Contains("numbered 0, 1, 2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_that_reads_the_section_itself_keeps_its_own_subsections_there()
    {
        // AddKevyElection(IConfiguration) alone: another component's subsection is its owner's to check.
        Assert.Empty(Read(("Kevy:Gateway:QueueCapacity", "10")).Errors);
        // The silo names every subsection it owns, so there the same key is checked.
        var settings = KevyConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kevy:Gatway:QueueCapacity"] = "10",
        }).Build().GetSection("Kevy"), []);
        Assert.Equal("Kevy:Gatway", Assert.Single(settings.Errors).Key);
    }

    [Fact]
    public void Every_value_that_does_not_convert_is_named_not_only_the_first()
    {
        var settings = Read(("Kevy:Timings:HeartbeatMs", "fast"), ("Kevy:Timings:DownAfterMs", "soon"), ("Kevy:Groups:0:RedisSelfFence", "maybe"));
        string[] expected =
        [
            "Kevy:Groups:0:RedisSelfFence is 'maybe'; it must be true or false",
            "Kevy:Timings:DownAfterMs is 'soon'; it must be a whole number",
            "Kevy:Timings:HeartbeatMs is 'fast'; it must be a whole number",
        ];
        Assert.Equal(expected, settings.Messages.Order(StringComparer.Ordinal));
        Assert.Empty(settings.Groups);
    }

    [Theory]
    [InlineData("azuretable", "AZURETABLE", "REDIS")]
    [InlineData("AzureTable", "azureTable", "Kevy")]
    public void Provider_and_kind_names_match_in_any_case(string storage, string clustering, string dataNodes)
    {
        var settings = Read(("Kevy:Storage:Provider", storage), ("Kevy:Storage:ConnectionString", "UseDevelopmentStorage=true"),
            ("Kevy:Clustering:Provider", clustering), ("Kevy:Clustering:ConnectionString", "UseDevelopmentStorage=true"),
            ("Kevy:Groups:0:DataNodes", dataNodes));
        Assert.Empty(settings.Errors);
        Assert.Equal(VoteStorageProvider.AzureTable, settings.Storage?.Provider);
        Assert.Equal(ClusteringProvider.AzureTable, settings.Clustering?.Provider);
        Assert.Equal(new AzureTableAccount("UseDevelopmentStorage=true", null), settings.Clustering?.Account);
        Assert.Equal(Enum.Parse<DataNodeKind>(dataNodes, ignoreCase: true), Assert.Single(settings.Groups).DataNodes);
    }

    [Theory]
    [InlineData("Kevy:Storage:Provider", "0")]
    [InlineData("Kevy:Clustering:Provider", "1")]
    [InlineData("Kevy:Groups:0:DataNodes", "1")]
    public void A_number_is_not_a_provider_name(string key, string value)
    {
        var error = Assert.Single(Read((key, value)).Errors);
        Assert.Equal((key, value), (error.Key, error.Value));
    }

    [Fact]
    public void The_timing_rules_agree_with_the_elector_on_every_combination()
    {
        int[] values = [-1, 0, 50, 100, 200, 400, 800, 1000];
        foreach (var hb in values)
        {
            foreach (var down in values)
            {
                foreach (var other in values)
                {
                    var t = new KevyTimingsOptions { HeartbeatMs = hb, DownAfterMs = down, ElectionTimeoutMs = other, BackoffMs = other, BackoffJitterMs = other };
                    var elector = t.ToElectionTimings().Validate();
                    var reader = KevyConfiguration.Read(new KevyElectionOptions { Timings = t }).Errors.Where(e => e.Key.StartsWith("Kevy:Timings:", StringComparison.Ordinal)).ToList();
                    Assert.True(elector.Count == reader.Count, $"hb {hb}, down {down}, other {other}: elector [{string.Join("; ", elector)}], reader [{string.Join("; ", reader)}]");
                }
            }
        }
    }
}
