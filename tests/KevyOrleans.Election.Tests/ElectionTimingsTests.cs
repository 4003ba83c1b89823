using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

public sealed class ElectionTimingsTests
{
    [Fact]
    public void Defaults_are_kevys_and_the_lease_ends_two_heartbeats_early()
    {
        var t = ElectionTimings.Default;
        Assert.Empty(t.Validate());
        Assert.Equal(TimeSpan.FromMilliseconds(4600), t.LeaseWindow);
        Assert.Equal(TimeSpan.FromSeconds(5), t.MaxBackoff);
    }

    [Theory]
    [InlineData(0, 5000, 3000, "HeartbeatInterval is 0 ms; it must be greater than 0")]
    [InlineData(200, 400, 3000, "DownAfter is 400 ms; it must be at least 4 x HeartbeatInterval (800 ms)")]
    [InlineData(200, 799, 3000, "DownAfter is 799 ms; it must be at least 4 x HeartbeatInterval (800 ms)")] // a lease window of 399 ms: under 2 heartbeats
    [InlineData(200, 5000, -1, "ElectionTimeout is -1 ms; it must be greater than 0")]
    public void Invalid_timings_name_the_value(int hb, int down, int timeout, string expected)
    {
        var t = new ElectionTimings
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(hb),
            DownAfter = TimeSpan.FromMilliseconds(down),
            ElectionTimeout = TimeSpan.FromMilliseconds(timeout),
        };
        Assert.Contains(t.Validate(), p => p.StartsWith(expected, StringComparison.Ordinal));
        var e = Assert.Throws<ArgumentException>(() => new ElectorConfig("n1", new ElectionGroup(MemberList.Parse("n1@h:1")), t));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_lease_window_may_be_exactly_two_heartbeats()
    {
        var t = new ElectionTimings { HeartbeatInterval = TimeSpan.FromMilliseconds(200), DownAfter = TimeSpan.FromMilliseconds(800) };
        Assert.Empty(t.Validate());
        Assert.Equal(2 * t.HeartbeatInterval, t.LeaseWindow);
    }

    [Fact]
    public void The_elector_must_be_a_member()
    {
        var e = Assert.Throws<ArgumentException>(() => new ElectorConfig("n9", new ElectionGroup(MemberList.Parse("n1@h:1,n2@h:2"))));
        Assert.Contains("'n9' is not a member", e.Message, StringComparison.Ordinal);
    }
}
