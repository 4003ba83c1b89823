using KevyOrleans.Abstractions;

namespace KevyOrleans.Grains.Tests;

public sealed class MemberKeyTests
{
    [Fact]
    public void Keys_are_group_slash_node_and_parse_back()
    {
        Assert.Equal("orders/n1", MemberKey.Format("orders", "n1"));
        Assert.Equal(("orders", "n1"), MemberKey.Parse("orders/n1"));
        Assert.Equal(("orders", "a/b"), MemberKey.Parse("orders/a/b")); // node ids may contain '/', group names never do
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("/n1")]
    [InlineData("orders/")]
    public void Malformed_keys_are_rejected_with_the_key(string key) =>
        Assert.Contains($"'{key}'", Assert.Throws<ArgumentException>(() => MemberKey.Parse(key)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("orders", true)]
    [InlineData("eu-west.orders_2", true)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    [InlineData("with space", false)]
    public void Group_names_are_checked(string name, bool valid) => Assert.Equal(valid, MemberKey.IsValidGroupName(name, out _));
}
