namespace KevyOrleans.Protocol.Tests;

public class NodeIdTests
{
    [Theory]
    [InlineData("n1")]
    [InlineData("replica-1")]
    [InlineData("!~")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void Printable_ascii_ids_of_1_to_32_bytes_are_valid(string id) => Assert.True(NodeId.IsValid(id));

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("*", "reserved")]
    [InlineData("a b", "a space")]
    [InlineData("a\tb", "U+0009")]
    [InlineData("a\u007fb", "U+007F")]
    [InlineData("caf\u00e9", "U+00E9")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "33 bytes")]
    public void Invalid_ids_say_why(string? id, string reason)
    {
        Assert.False(NodeId.IsValid(id, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains(reason, Assert.Throws<ArgumentException>(() => NodeId.Validate(id)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_compare_byte_wise()
    {
        Assert.True(NodeId.Compare("B", "a") < 0);
        Assert.True(NodeId.Compare("n10", "n2") < 0);
        Assert.True(NodeId.Compare("n", "n-1") < 0);
        Assert.Equal(0, NodeId.Compare("n1", "n1"));
    }
}
