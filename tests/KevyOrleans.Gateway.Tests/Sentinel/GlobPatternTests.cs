using KevyOrleans.Gateway.Sentinel;

namespace KevyOrleans.Gateway.Tests.Sentinel;

/// <summary>PSUBSCRIBE patterns match as Redis' stringmatchlen does.</summary>
public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("*", "+switch-master", true)]
    [InlineData("*", "", true)]
    [InlineData("+*", "+sdown", true)]
    [InlineData("+*", "-sdown", false)]
    [InlineData("?sdown", "-sdown", true)]
    [InlineData("?sdown", "sdown", false)]
    [InlineData("[+-]odown", "-odown", true)]
    [InlineData("[^+]odown", "+odown", false)]
    [InlineData("[^+]odown", "-odown", true)]
    [InlineData("+[a-t]down", "+sdown", true)]
    [InlineData("+[a-c]down", "+sdown", false)]
    [InlineData("\\*", "*", true)]
    [InlineData("\\*", "x", false)]
    [InlineData("+switch-master", "+switch-master", true)]
    [InlineData("+switch-master", "+switch-Master", false)]
    [InlineData("*-master", "+switch-master", true)]
    [InlineData("*a*b*c", "xaybzc", true)]
    [InlineData("*a*b*c", "xaybz", false)]
    public void Matches_like_redis(string pattern, string channel, bool expected)
    {
        Assert.Equal(expected, GlobPattern.IsMatch(pattern, channel));
    }
}
