using KevyOrleans.Gateway.Sentinel;

namespace KevyOrleans.Gateway.Tests.Sentinel;

/// <summary>The Kevy:Sentinel options: off by default, loopback by default, a password required off loopback.</summary>
public sealed class SentinelOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_off_on_loopback()
    {
        var o = new SentinelOptions();
        Assert.Empty(o.Validate());
        Assert.False(o.Enabled);
        Assert.Equal("127.0.0.1", o.BindAddress);
    }

    [Fact]
    public void Off_loopback_the_endpoint_needs_a_password()
    {
        var o = new SentinelOptions { Port = 26379, BindAddress = "0.0.0.0" };
        var error = Assert.Single(o.Validate());
        Assert.Contains("Kevy:Sentinel:Password must be set", error, StringComparison.Ordinal);
        o.Password = "long-enough-secret";
        Assert.Empty(o.Validate());
    }

    [Theory]
    [InlineData("Port", "Kevy:Sentinel:Port is 70000")]
    [InlineData("BindAddress", "Kevy:Sentinel:BindAddress is 'localhost'")]
    [InlineData("MaxConnections", "Kevy:Sentinel:MaxConnections is 0")]
    [InlineData("PerSource", "Kevy:Sentinel:MaxConnectionsPerSource is 300; it must be at most MaxConnections (256)")]
    [InlineData("MaxRequestBytes", "Kevy:Sentinel:MaxRequestBytes is 10")]
    [InlineData("Password", "Kevy:Sentinel:Password is 3 characters long")]
    [InlineData("AnnounceAddress", "Kevy:Sentinel:AnnounceAddress is 'here'")]
    public void Each_bad_value_is_named(string what, string expected)
    {
        var o = new SentinelOptions { Port = 26379 };
        switch (what)
        {
            case "Port": o.Port = 70000; break;
            case "BindAddress": o.BindAddress = "localhost"; break;
            case "MaxConnections": o.MaxConnections = 0; o.MaxConnectionsPerSource = 0; break;
            case "PerSource": o.MaxConnectionsPerSource = 300; break;
            case "MaxRequestBytes": o.MaxRequestBytes = 10; break;
            case "Password": o.Password = "abc"; break;
            case "AnnounceAddress": o.AnnounceAddress = "here"; break;
        }
        Assert.Contains(o.Validate(), e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
