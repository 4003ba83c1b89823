using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Silo.Tests;

/// <summary>The silo owns the whole <c>Kevy</c> section: a misspelt key is an error at every level, its own subsections included.</summary>
public sealed class SiloConfigurationKeysTests
{
    [Theory]
    [InlineData("Kevy:Timing:HeartbeatMs", "Kevy:Timing")]
    [InlineData("Kevy:Admin:Ur", "Kevy:Admin:Ur")]
    [InlineData("Kevy:Gateway:QueueCap", "Kevy:Gateway:QueueCap")]
    [InlineData("Kevy:Gateway:Tls:Inbond", "Kevy:Gateway:Tls:Inbond")]
    [InlineData("Kevy:Timings:DownAfter", "Kevy:Timings:DownAfter")]
    public void A_misspelt_key_stops_the_silo_naming_it(string key, string named)
    {
        var error = Assert.Single(SiloConfigurationCheck.Read(Config((key, "5"))).Errors);
        Assert.Equal(named, error.Key);
        Assert.StartsWith($"{named} is not a configuration key (a typo?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_silo_defaults_and_its_own_subsections_pass()
    {
        var settings = SiloConfigurationCheck.Read(Config(("Kevy:Admin:Url", "http://127.0.0.1:9090"), ("Kevy:Gateway:QueueCapacity", "10"),
            ("Kevy:Gateway:Tls:Outbound", "false"), ("Kevy:Clustering:SiloPort", "12000")));
        Assert.Empty(settings.Errors);
        Assert.Equal("http://127.0.0.1:9090", settings.Section<AdminOptions>().Url);
        Assert.Equal(10, settings.Section<KevyOrleans.Gateway.GatewayOptions>().QueueCapacity);
        Assert.Equal(12000, settings.Clustering?.Options.SiloPort);
    }

    [Fact]
    public void Errors_carry_their_key_and_value()
    {
        var error = Assert.Single(SiloConfigurationCheck.Read(Config(("Kevy:Clustering:SiloPort", "70000"))).Errors);
        Assert.Equal(("Kevy:Clustering:SiloPort", "70000"), (error.Key, error.Value));
        Assert.Equal("Kevy:Clustering:SiloPort is 70000; it must be a TCP port (1-65535)", error.Message);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
