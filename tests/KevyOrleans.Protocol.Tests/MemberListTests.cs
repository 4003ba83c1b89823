namespace KevyOrleans.Protocol.Tests;

public class MemberListTests
{
    [Fact]
    public void Three_field_entries_carry_separate_elect_and_client_ports()
    {
        var list = MemberList.Parse("primary-east@10.0.0.1:6200:6000,replica-1@db2.internal:6201:6001");
        Assert.Equal(new Member("primary-east", "10.0.0.1", 6200, 6000, HasSeparateClientPort: true), list[0]);
        Assert.Equal("db2.internal:6001", list[1].ClientAddress);
        Assert.Equal("db2.internal:6201", list[1].ElectAddress);
    }

    [Fact]
    public void Legacy_two_field_entries_use_one_port_for_both()
    {
        var member = Assert.Single(MemberList.Parse("n1@host:6000"));
        Assert.Equal(new Member("n1", "host", 6000, 6000, HasSeparateClientPort: false), member);
        Assert.Equal("n1@host:6000", member.ToString());
    }

    [Fact]
    public void Whitespace_around_entries_is_ignored_and_the_list_prints_back_in_kevy_syntax()
    {
        var list = MemberList.Parse("  n1@a:1:2 ,\tn2@b:3\n, n3@[::1]:4:5  ");
        Assert.Equal(["n1", "n2", "n3"], list.Select(m => m.Id));
        Assert.Equal("n1@a:1:2,n2@b:3,n3@[::1]:4:5", list.ToString());
        Assert.Equal(list.ToString(), MemberList.Parse(list.ToString()).ToString());
    }

    [Fact]
    public void Ipv6_hosts_stay_in_brackets()
    {
        var member = Assert.Single(MemberList.Parse("v6@[fd00::7]:6200:6000"));
        Assert.Equal("[fd00::7]", member.Host);
        Assert.Equal("[fd00::7]:6000", member.ClientAddress);
        Assert.Equal(6200, member.ElectPort);
    }

    [Theory]
    [InlineData("n1@a:1,@b:2", "@b:2", "empty")]
    [InlineData("n1@a:1,n1@b:2", "n1@b:2", "duplicate node id 'n1'")]
    [InlineData("n1@a:0", "n1@a:0", "bad port '0'")]
    [InlineData("n1@a:65536", "n1@a:65536", "bad port '65536'")]
    [InlineData("n1@a:abc", "n1@a:abc", "bad port 'abc'")]
    [InlineData("n1@a:6200:-1", "n1@a:6200:-1", "bad port '-1'")]
    [InlineData("n1@a:6200:", "n1@a:6200:", "bad port ''")]
    [InlineData("n1@a:99999999999", "n1@a:99999999999", "bad port")]
    [InlineData("n1@:6000", "n1@:6000", "missing host")]
    [InlineData("n1@[]:6000", "n1@[]:6000", "missing host")]
    [InlineData("n1@host", "n1@host", "missing port")]
    [InlineData("n1@host:", "n1@host:", "expected id@host")]
    [InlineData("n1@h:1:2:3", "n1@h:1:2:3", "expected id@host")]
    [InlineData("n1-host-6000", "n1-host-6000", "expected id@host")]
    [InlineData("n1@[::1:6000", "n1@[::1:6000", "bad bracketed host")]
    [InlineData("n1@[::1]6000", "n1@[::1]6000", "bad bracketed host")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456@h:1", "abcdefghijklmnopqrstuvwxyz0123456@h:1", "33 bytes")]
    [InlineData("a b@h:1", "a b@h:1", "a space")]
    [InlineData("*@h:1", "*@h:1", "reserved")]
    [InlineData("n\u00e9@h:1", "n\u00e9@h:1", "U+00E9")]
    [InlineData("n1@ho st:1", "n1@ho st:1", "whitespace")]
    public void Bad_entries_are_rejected_with_a_message_quoting_the_entry(string text, string entry, string reason)
    {
        var e = Assert.Throws<MemberListException>(() => MemberList.Parse(text));
        Assert.Contains($"'{entry}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(MemberList.TryParse(text, out var list, out var error));
        Assert.Null(list);
        Assert.Equal(e.Message, error);
    }

    [Theory]
    [InlineData("n1@a:1,,n2@b:2")]
    [InlineData("n1@a:1,")]
    [InlineData(", n1@a:1")]
    [InlineData("n1@a:1, \t ,n2@b:2")]
    public void Empty_entries_are_rejected_quoting_the_list(string text)
    {
        var e = Assert.Throws<MemberListException>(() => MemberList.Parse(text));
        Assert.Contains($"member list '{text}' has an empty entry", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_list_is_rejected(string text) =>
        Assert.Equal("the member list is empty", Assert.Throws<MemberListException>(() => MemberList.Parse(text)).Message);

    [Fact]
    public void An_id_of_exactly_32_bytes_is_accepted()
    {
        var id = new string('x', NodeId.MaxLength);
        Assert.Equal(id, Assert.Single(MemberList.Parse($"{id}@h:1")).Id);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(6, 4)]
    [InlineData(7, 4)]
    public void Quorum_is_a_strict_majority_of_all_members(int n, int quorum)
    {
        var text = string.Join(',', Enumerable.Range(1, n).Select(i => $"n{i}@h:{6000 + i}"));
        Assert.Equal(quorum, MemberList.Parse(text).Quorum);
    }

    [Fact]
    public void Lookups_are_by_exact_id()
    {
        var list = MemberList.Parse("n1@a:1,n2@b:2");
        Assert.True(list.Contains("n2"));
        Assert.False(list.Contains("N2"));
        Assert.Equal("b", list.Find("n2")!.Host);
        Assert.Null(list.Find("n3"));
        Assert.Equal(2, list.Get("n2").ElectPort);
        Assert.Contains("'n3'", Assert.Throws<KeyNotFoundException>(() => list.Get("n3")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructing_from_members_runs_the_same_id_checks()
    {
        Assert.Contains("duplicate node id 'n1'", Assert.Throws<MemberListException>(() =>
            new MemberList([new Member("n1", "a", 1, 1, false), new Member("n1", "b", 2, 2, false)])).Message, StringComparison.Ordinal);
        Assert.Contains("reserved", Assert.Throws<MemberListException>(() =>
            new MemberList([new Member("*", "a", 1, 1, false)])).Message, StringComparison.Ordinal);
        Assert.Equal("the member list is empty", Assert.Throws<MemberListException>(() => new MemberList([])).Message);
    }
}
