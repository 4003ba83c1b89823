using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Silo.Tests;

/// <summary>The silo reads <c>Kevy:Sentinel</c> and <c>Groups:N:DisconnectClients</c> with the same key and value checks as every section.</summary>
public sealed class SentinelConfigurationTests
{
    private const string Group = "n1@127.0.0.1:7101:7001,n2@127.0.0.1:7102:7002,w3@127.0.0.1:7103";

    [Fact]
    public void The_endpoint_is_off_by_default_and_a_port_turns_it_on()
    {
        var settings = SiloConfigurationCheck.Read(Config());
        Assert.True(settings.IsValid);
        Assert.False(settings.Section<KevyOrleans.Gateway.Sentinel.SentinelOptions>().Enabled);
        var on = SiloConfigurationCheck.Read(Config(("Kevy:Sentinel:Port", "26379")));
        Assert.True(on.IsValid);
        Assert.Equal(26379, on.Section<KevyOrleans.Gateway.Sentinel.SentinelOptions>().Port);
    }

    [Fact]
    public void Off_loopback_without_a_password_and_unknown_keys_stop_the_silo_naming_the_key()
    {
        var error = Assert.Single(SiloConfigurationCheck.Find(Config(("Kevy:Sentinel:Port", "26379"), ("Kevy:Sentinel:BindAddress", "0.0.0.0"))));
        Assert.Contains("Kevy:Sentinel:Password must be set", error, StringComparison.Ordinal);
        var typo = Assert.Single(SiloConfigurationCheck.Find(Config(("Kevy:Sentinel:Prot", "26379"))));
        Assert.Contains("Kevy:Sentinel:Prot", typo, StringComparison.Ordinal);
    }

    [Fact]
    public void Disconnecting_clients_on_a_role_change_is_on_by_default_and_can_be_turned_off_per_group()
    {
        Assert.True(Assert.Single(SiloConfigurationCheck.Read(Config()).Groups).DisconnectClients);
        var off = SiloConfigurationCheck.Read(Config(("Kevy:Groups:0:DisconnectClients", "false")));
        Assert.False(Assert.Single(off.Groups).DisconnectClients);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kevy:Groups:0:Name"] = "orders",
            ["Kevy:Groups:0:Peers"] = Group,
            ["Kevy:Groups:0:Hosted"] = "n1,n2,w3",
            ["Kevy:Groups:0:Witnesses"] = "w3",
            ["Kevy:Groups:0:DataNodes"] = "redis",
        }.Concat(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))))
        .Build();
}
