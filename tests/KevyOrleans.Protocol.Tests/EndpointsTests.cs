namespace KevyOrleans.Protocol.Tests;

/// <summary>The one place that knows IPv6 hosts go in brackets.</summary>
public class EndpointsTests
{
    [Theory]
    [InlineData("[::1]", "::1")]
    [InlineData("::1", "::1")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("redis-a", "redis-a")]
    [InlineData("[fe80::1%eth0]", "fe80::1%eth0")]
    public void Bare_drops_the_brackets(string host, string bare) => Assert.Equal(bare, Endpoints.Bare(host));

    [Theory]
    [InlineData("[::1]", "::1", true)]
    [InlineData("Redis-A", "redis-a", true)]
    [InlineData("[2001:db8::1]", "[2001:DB8::1]", true)]
    [InlineData("10.0.0.1", "10.0.0.2", false)]
    public void SameHost_ignores_brackets_and_case(string a, string b, bool same) => Assert.Equal(same, Endpoints.SameHost(a, b));

    [Theory]
    [InlineData("::1", 6379, "[::1]:6379")]
    [InlineData("[::1]", 6379, "[::1]:6379")]
    [InlineData("127.0.0.1", 7000, "127.0.0.1:7000")]
    [InlineData("redis-a", 1, "redis-a:1")]
    public void Format_keeps_the_port_readable(string host, int port, string text) => Assert.Equal(text, Endpoints.Format(host, port));

    [Theory]
    [InlineData("h:1", HostSplitError.None, "h", "1")]
    [InlineData("h:1:2", HostSplitError.None, "h", "1:2")]
    [InlineData("[::1]:1:2", HostSplitError.None, "[::1]", "1:2")]
    [InlineData("[::1]:", HostSplitError.None, "[::1]", "")]
    [InlineData("[::1]", HostSplitError.BadBrackets, "", "")]
    [InlineData("[::1]1", HostSplitError.BadBrackets, "", "")]
    [InlineData("[::1", HostSplitError.BadBrackets, "", "")]
    [InlineData("h", HostSplitError.MissingPort, "", "")]
    [InlineData(":1", HostSplitError.MissingHost, "", "1")]
    [InlineData("[]:1", HostSplitError.MissingHost, "[]", "1")]
    [InlineData("a b:1", HostSplitError.Whitespace, "a b", "1")]
    public void TrySplitHost(string text, HostSplitError expected, string host, string rest)
    {
        Assert.Equal(expected, Endpoints.TrySplitHost(text, out var h, out var r));
        if (expected is HostSplitError.None)
        {
            Assert.Equal((host, rest), (h, r));
        }
    }
}
