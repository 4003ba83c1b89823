using KevyOrleans.Hosting;

namespace KevyOrleans.Hosting.Tests.Configuration;

/// <summary>
/// kevy replicates on its client port + 10000: a kevy-kind data member whose client port leaves no
/// room for that is a configuration error naming the member, not a follow that fails on every tick.
/// </summary>
public sealed class KevyReplicationPortTests
{
    private static KevyElectionOptions Group(string peers, string kind, string hosted = "n1,w3") => new()
    {
        Groups = [new KevyGroupOptions { Name = "orders", Peers = peers, Hosted = hosted, Witnesses = "w3", DataNodes = kind }],
    };

    [Theory]
    [InlineData("n1@127.0.0.1:6301:55536,n2@127.0.0.1:6302:6102,w3@127.0.0.1:6303", "n1@127.0.0.1:6301:55536", 55536)]
    // Not hosted here, but a hosted member follows it when it is primary.
    [InlineData("n1@127.0.0.1:6301:6101,n2@127.0.0.1:6302:65535,w3@127.0.0.1:6303", "n2@127.0.0.1:6302:65535", 65535)]
    // The two-field form: the client port is the elect port.
    [InlineData("n1@127.0.0.1:6301:6101,n2@127.0.0.1:60000,w3@127.0.0.1:6303", "n2@127.0.0.1:60000", 60000)]
    public void A_kevy_data_member_whose_replication_port_exceeds_65535_is_an_error_naming_it(string peers, string member, int clientPort)
    {
        var result = KevyConfiguration.Read(Group(peers, "kevy"));
        var error = Assert.Single(result.Errors).Message;
        Assert.Equal($"Kevy:Groups:0:Peers: data member '{member}' has client port {clientPort}, so its kevy replication port " +
            $"(client port + 10000) would be {clientPort + 10000}, above 65535; give it a client port of 55535 or less", error);
        Assert.Empty(result.Groups);
    }

    [Fact]
    public void The_highest_usable_client_port_and_witnesses_and_redis_groups_pass()
    {
        Assert.Empty(KevyConfiguration.Read(Group("n1@127.0.0.1:6301:55535,n2@127.0.0.1:6302:6102,w3@127.0.0.1:6303", "kevy")).Errors);
        // A witness has no data node: its port is an elect port only.
        Assert.Empty(KevyConfiguration.Read(Group("n1@127.0.0.1:6301:6101,n2@127.0.0.1:6302:6102,w3@127.0.0.1:65000", "kevy")).Errors);
        // redis replicates on its client port.
        Assert.Empty(KevyConfiguration.Read(Group("n1@127.0.0.1:6301:65535,n2@127.0.0.1:6302:6102,w3@127.0.0.1:6303", "redis")).Errors);
    }
}
