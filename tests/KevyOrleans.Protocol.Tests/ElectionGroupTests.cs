namespace KevyOrleans.Protocol.Tests;

public class ElectionGroupTests
{
    private static MemberList Members(params string[] ids) =>
        MemberList.Parse(string.Join(',', ids.Select((id, i) => $"{id}@h{i}:{6200 + i}:{6000 + i}")));

    [Fact]
    public void Three_data_nodes_make_a_group_without_warnings()
    {
        var group = new ElectionGroup(Members("n1", "n2", "n3"));
        Assert.Equal(2, group.Quorum);
        Assert.Empty(group.Warnings);
        Assert.Empty(group.Witnesses);
        Assert.False(group.IsWitness("n1"));
    }

    [Fact]
    public void A_witness_that_sorts_after_every_data_node_is_accepted()
    {
        var group = new ElectionGroup(Members("n1", "n2", "w1"), ["w1"]);
        Assert.True(group.IsWitness("w1"));
        Assert.False(group.IsWitness("n2"));
        Assert.Equal(["w1"], group.Witnesses);
        Assert.Equal(2, group.Quorum);
    }

    [Fact]
    public void A_two_member_group_warns_that_it_tolerates_no_failure()
    {
        var group = new ElectionGroup(Members("n1", "n2"));
        Assert.Equal(2, group.Quorum);
        Assert.Contains("quorum is 2", Assert.Single(group.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_one_member_group_warns_that_there_is_nothing_to_fail_over_to() =>
        Assert.Contains("'n1'", Assert.Single(new ElectionGroup(Members("n1")).Warnings), StringComparison.Ordinal);

    [Theory]
    [InlineData(4, 3)]
    [InlineData(6, 4)]
    public void Even_groups_warn_that_the_extra_member_buys_no_tolerance(int n, int quorum)
    {
        var group = new ElectionGroup(Members([.. Enumerable.Range(1, n).Select(i => $"n{i}")]));
        Assert.Equal(quorum, group.Quorum);
        Assert.Contains($"quorum is {quorum}", Assert.Single(group.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    public void Odd_groups_have_no_warnings(int n) =>
        Assert.Empty(new ElectionGroup(Members([.. Enumerable.Range(1, n).Select(i => $"n{i}")])).Warnings);

    [Fact]
    public void A_witness_must_be_a_member()
    {
        var e = Assert.Throws<ElectionGroupException>(() => new ElectionGroup(Members("n1", "n2", "n3"), ["w9"]));
        Assert.Contains("witness 'w9' is not in the member list", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_witness_sorting_before_a_data_node_is_rejected_naming_both()
    {
        var e = Assert.Throws<ElectionGroupException>(() => new ElectionGroup(Members("n1", "n2", "a-witness"), ["a-witness"]));
        Assert.Contains("witness 'a-witness' sorts before data node 'n1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("must sort after every data node", e.Message, StringComparison.Ordinal);
        Assert.Contains("rename 'a-witness' to 'zz-a-witness'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Byte_wise_order_decides_so_upper_case_sorts_first()
    {
        // 'W' (0x57) sorts before 'n' (0x6E) even though 'w' would not.
        Assert.Throws<ElectionGroupException>(() => new ElectionGroup(Members("n1", "n2", "W1"), ["W1"]));
    }

    [Fact]
    public void A_group_of_only_witnesses_is_rejected()
    {
        var e = Assert.Throws<ElectionGroupException>(() => new ElectionGroup(Members("w1", "w2", "w3"), ["w1", "w2", "w3"]));
        Assert.Contains("every member is a witness", e.Message, StringComparison.Ordinal);
    }
}
