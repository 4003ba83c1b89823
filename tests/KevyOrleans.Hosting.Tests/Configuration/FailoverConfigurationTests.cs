using KevyOrleans.Hosting;
using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Hosting.Tests.Configuration;

/// <summary><c>Kevy:Groups:N:Members</c> and <c>MaximumLagOnFailover</c>: read into the group's failover policy, every misuse an error naming its key.</summary>
public sealed class FailoverConfigurationTests
{
    private static KevyElectionOptions Options(long? maximumLag, params KevyMemberOptions[] members) => new()
    {
        Groups = [new KevyGroupOptions
        {
            Name = "orders", Peers = "n1@127.0.0.1:6301:6101,n2@127.0.0.1:6302:6102,n3@127.0.0.1:6303:6103,w4@127.0.0.1:6304",
            Hosted = "n1,n2,n3,w4", Witnesses = "w4", Members = [.. members], MaximumLagOnFailover = maximumLag,
        }],
    };

    [Fact]
    public void The_settings_reach_the_group_definition()
    {
        var result = KevyConfiguration.Read(Options(1_048_576, new() { Id = "n3", NoFailover = true }, new() { Id = "n1", Priority = 10 }));
        Assert.Empty(result.Errors);
        var policy = Assert.Single(result.Groups).Failover;
        Assert.True(policy.IsNoFailover("n3"));
        Assert.False(policy.IsNoFailover("n1"));
        Assert.Equal((10, 0), (policy.Priority("n1"), policy.Priority("n2")));
        Assert.Equal(1_048_576UL, policy.MaximumLag);
    }

    [Fact]
    public void Without_settings_the_group_keeps_kevys_rule()
    {
        var result = KevyConfiguration.Read(Options(null));
        Assert.Empty(result.Errors);
        var policy = Assert.Single(result.Groups).Failover;
        Assert.Empty(policy.Members);
        Assert.Null(policy.MaximumLag);
    }

    [Theory]
    [InlineData("x9", false, 0, null, "Kevy:Groups:0:Members:0:Id: 'x9' is not in the member list")]
    [InlineData("n1", false, 1001, null, "Kevy:Groups:0:Members:0:Priority is 1001; a priority is 0 to 1000")]
    [InlineData("n1", false, -5, null, "Kevy:Groups:0:Members:0:Priority is -5")]
    [InlineData("w4", true, 0, null, "Kevy:Groups:0:Members:0: 'w4' is a witness: it never becomes primary, so NoFailover and Priority mean nothing")]
    [InlineData("n1", false, 0, -1L, "Kevy:Groups:0:MaximumLagOnFailover is -1; it must be 0 or more bytes")]
    public void A_misuse_is_an_error_naming_its_key(string id, bool noFailover, int priority, long? maximumLag, string expected)
    {
        var result = KevyConfiguration.Read(Options(maximumLag, new KevyMemberOptions { Id = id, NoFailover = noFailover, Priority = priority }));
        Assert.Empty(result.Groups);
        Assert.StartsWith(expected, Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_listed_twice_is_an_error()
    {
        var result = KevyConfiguration.Read(Options(null, new() { Id = "n1", Priority = 1 }, new() { Id = "n1", NoFailover = true }));
        Assert.Equal("Kevy:Groups:0:Members:1:Id: member 'n1' has two entries in Kevy:Groups:0:Members", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void A_group_in_which_no_data_member_may_ever_become_primary_is_an_error()
    {
        var result = KevyConfiguration.Read(Options(null, new() { Id = "n1", NoFailover = true }, new() { Id = "n2", NoFailover = true }, new() { Id = "n3", NoFailover = true }));
        Assert.Empty(result.Groups);
        Assert.Contains("every data member of group 'orders' is NoFailover, so none could ever become primary", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_keys_bind_from_configuration_and_pass_the_key_check()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kevy:Groups:0:Members:0:Id"] = "n3",
            ["Kevy:Groups:0:Members:0:NoFailover"] = "true",
            ["Kevy:Groups:0:Members:1:Id"] = "n1",
            ["Kevy:Groups:0:Members:1:Priority"] = "7",
            ["Kevy:Groups:0:MaximumLagOnFailover"] = "4096",
        }).Build();
        var errors = new List<ConfigurationError>();
        Assert.Equal(0, ConfigurationKeys.Check(config.GetSection("Kevy"), typeof(KevyElectionOptions), errors));
        Assert.Empty(errors);
        var options = new KevyElectionOptions();
        config.GetSection("Kevy").Bind(options);
        var g = options.Groups[0];
        Assert.Equal(("n3", true, "n1", 7, 4096L), (g.Members[0].Id, g.Members[0].NoFailover, g.Members[1].Id, g.Members[1].Priority, g.MaximumLagOnFailover));
    }
}
