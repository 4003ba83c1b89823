using KevyOrleans.Hosting;
using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Hosting.Tests.Configuration;

/// <summary><c>Kevy:Groups:N:MinimumTimeBetweenFailoversMs</c> (anti-flapping): its default, its reach, its misuse.</summary>
public sealed class AntiFlappingConfigurationTests
{
    private static KevyElectionOptions Options(int? spacingMs, int downAfterMs = 5000) => new()
    {
        Timings = new KevyTimingsOptions { DownAfterMs = downAfterMs },
        Groups = [new KevyGroupOptions
        {
            Name = "orders", Peers = "n1@127.0.0.1:6301:6101,n2@127.0.0.1:6302:6102,n3@127.0.0.1:6303:6103",
            Hosted = "n1,n2,n3", MinimumTimeBetweenFailoversMs = spacingMs,
        }],
    };

    [Theory]
    [InlineData(5000, 15_000)]
    [InlineData(1000, 3000)]
    public void Absent_it_is_three_times_down_after(int downAfterMs, int expectedMs)
    {
        var result = KevyConfiguration.Read(Options(null, downAfterMs));
        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Assert.Single(result.Groups).MinimumTimeBetweenFailovers);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60_000)]
    public void A_value_reaches_the_group_and_zero_turns_the_hold_off(int spacingMs)
    {
        var result = KevyConfiguration.Read(Options(spacingMs));
        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromMilliseconds(spacingMs), Assert.Single(result.Groups).MinimumTimeBetweenFailovers);
    }

    [Fact]
    public void A_negative_time_is_an_error_naming_its_key()
    {
        var result = KevyConfiguration.Read(Options(-1));
        Assert.Empty(result.Groups);
        var error = Assert.Single(result.Errors);
        Assert.Equal("Kevy:Groups:0:MinimumTimeBetweenFailoversMs", error.Key);
        Assert.StartsWith("Kevy:Groups:0:MinimumTimeBetweenFailoversMs is -1; it must be 0 (no hold) or more milliseconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_binds_from_configuration_and_passes_the_key_check()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kevy:Groups:0:MinimumTimeBetweenFailoversMs"] = "20000",
        }).Build();
        var errors = new List<ConfigurationError>();
        Assert.Equal(0, ConfigurationKeys.Check(config.GetSection("Kevy"), typeof(KevyElectionOptions), errors));
        Assert.Empty(errors);
        var options = new KevyElectionOptions();
        config.GetSection("Kevy").Bind(options);
        Assert.Equal(20_000, options.Groups[0].MinimumTimeBetweenFailoversMs);
    }
}
