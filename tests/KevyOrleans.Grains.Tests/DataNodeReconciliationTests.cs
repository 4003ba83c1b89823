using KevyOrleans.Election;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Grains.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains.Tests;

/// <summary>
/// After every probe the member compares what the election wants of its data node with what the node
/// reports, and re-applies the action when they disagree. Scripted nodes and a hand-moved clock; the
/// same against real redis-server processes in KevyOrleans.DataNodes.Tests.
/// </summary>
public sealed class DataNodeReconciliationTests : IDisposable
{
    private readonly ScriptedMemberBench _bench = new();
    private readonly CounterTags _reconciled;

    public DataNodeReconciliationTests() =>
        _reconciled = new CounterTags(_bench.Meters, "kevy.datanode.reconciled", "action", "reason");

    public void Dispose()
    {
        _reconciled.Dispose();
        _bench.Dispose();
    }

    private HostedMember Member(DataNodeKind kind = DataNodeKind.Redis) => _bench.Member(kind);

    /// <summary>n2 runs after the cold-start grace and wins with the witness' vote.</summary>
    private async Task<HostedMember> PrimaryAsync(DataNodeKind kind = DataNodeKind.Redis)
    {
        var member = await _bench.PrimaryAsync(kind);
        // Before the election the undecided member fenced its open node (pinned by its own test): count drift from here.
        _reconciled.Clear();
        return member;
    }

    /// <summary>A primary that heard nobody for the lease window fences its node.</summary>
    private async Task<HostedMember> FencedPrimaryAsync(DataNodeKind kind = DataNodeKind.Redis)
    {
        var member = await PrimaryAsync(kind);
        _bench.Time.Advance(ElectionTimings.Default.LeaseWindow + TimeSpan.FromMilliseconds(1));
        await member.TickAsync();
        Assert.True(member.Snapshot("s").Fenced);
        return member;
    }

    private async Task TickAsync(HostedMember member)
    {
        _bench.Time.Advance(ElectionTimings.Default.HeartbeatInterval);
        await member.TickAsync();
    }

    private int Count(string command) => _bench.Node.Commands.Count(c => c == command);

    [Fact]
    public async Task A_replica_node_that_restarts_as_an_empty_master_is_told_to_follow_again()
    {
        var member = Member();
        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", "h:6001"));
        await TickAsync(member);
        Assert.Equal(1, Count("follow h:6001"));
        Assert.Empty(_reconciled);

        _bench.Node.RestartAsEmptyMaster();
        await TickAsync(member);
        Assert.Equal(2, Count("follow h:6001"));
        Assert.Equal(("follow", "disagrees"), Assert.Single(_reconciled));

        await TickAsync(member);
        Assert.Equal(2, Count("follow h:6001"));
    }

    [Fact]
    public async Task A_replica_node_following_another_address_is_pointed_back_at_the_primary()
    {
        var member = Member();
        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", "h:6001"));
        await _bench.Node.FollowAsync("elsewhere", 6999, default);
        await TickAsync(member);
        Assert.Equal("follow h:6001", _bench.Node.Commands.Last());
        Assert.Equal("replica of h:6001", _bench.Node.Role);
    }

    [Fact]
    public async Task A_kevy_node_follows_the_replication_port_and_that_counts_as_agreement()
    {
        var member = Member(DataNodeKind.Kevy);
        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", "h:6001"));
        var probe = await _bench.Node.ProbeAsync(default);
        Assert.True(probe.Follows("h", 16001), probe.ToString());
        await TickAsync(member);
        await TickAsync(member);
        Assert.Equal(["follow h:6001"], _bench.Node.Commands);

        // A kevy node that follows the client port follows the wrong listener: re-applied.
        _bench.Node.Kind = DataNodeKind.Redis;
        await _bench.Node.FollowAsync("h", 6001, default);
        _bench.Node.Kind = DataNodeKind.Kevy;
        await TickAsync(member);
        Assert.Equal(("follow", "disagrees"), Assert.Single(_reconciled));
    }

    [Fact]
    public async Task A_primary_whose_node_reports_replica_is_promoted_again()
    {
        var member = await PrimaryAsync();
        Assert.Equal(1, Count("promote"));
        await _bench.Node.FollowAsync("h", 6001, default);
        await TickAsync(member);
        Assert.Equal(2, Count("promote"));
        Assert.Equal("master", _bench.Node.Role);
        Assert.Equal(("promote", "disagrees"), Assert.Single(_reconciled));
    }

    [Fact]
    public async Task A_fenced_redis_primary_renews_its_fence_every_tick_without_counting_it_as_drift()
    {
        var member = await PrimaryAsync();
        var before = Count("fence"); // the fences of the undecided member before its election
        _bench.Time.Advance(ElectionTimings.Default.LeaseWindow + TimeSpan.FromMilliseconds(1));
        await member.TickAsync();
        Assert.True(member.Snapshot("s").Fenced);
        Assert.Equal(before + 1, Count("fence")); // the fencing tick itself sends no renewal
        await TickAsync(member);
        await TickAsync(member);
        Assert.Equal(before + 3, Count("fence"));
        Assert.Empty(_reconciled);
    }

    [Fact]
    public async Task A_fenced_kevy_primary_whose_node_came_back_as_master_is_fenced_again()
    {
        var member = await FencedPrimaryAsync(DataNodeKind.Kevy);
        await TickAsync(member);
        Assert.Empty(_reconciled); // the node follows the fence endpoint: a renewal, not drift

        _bench.Node.RestartAsEmptyMaster();
        await TickAsync(member);
        Assert.True(_bench.Node.Fenced);
        Assert.Equal(("fence", "disagrees"), Assert.Single(_reconciled));
    }

    [Fact]
    public async Task A_fenced_primary_that_learns_a_new_primary_follows_without_a_separate_unfence_first()
    {
        var member = await FencedPrimaryAsync();
        await member.ReceiveAsync(ElectionMessage.Announce(member.Epoch + 1, "n1", "h:6001"));
        Assert.Equal(Role.Replica, member.Role);
        Assert.Equal("follow h:6001", _bench.Node.Commands.Last());
        Assert.Equal(0, Count("unfence")); // follow = REPLICAOF, then UNPAUSE: never an open master in between
        Assert.False(_bench.Node.Fenced);
    }

    [Fact]
    public async Task A_failed_action_is_retried_at_the_next_tick_even_when_the_node_reports_no_role()
    {
        _bench.Node.ReportsRole = false;
        var member = Member();
        _bench.Node.Alive = false;
        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", "h:6001"));
        Assert.Empty(_bench.Node.Commands);
        _bench.Node.Alive = true;
        await TickAsync(member);
        Assert.Equal(["follow h:6001"], _bench.Node.Commands);
        Assert.Equal(("follow", "retry"), Assert.Single(_reconciled));
        await TickAsync(member);
        Assert.Single(_bench.Node.Commands);
    }

    [Fact]
    public async Task An_undecided_member_leaves_a_replica_node_alone()
    {
        await _bench.Node.FollowAsync("elsewhere", 6999, default);
        var member = Member();
        await TickAsync(member);
        await TickAsync(member);
        Assert.Equal(["follow elsewhere:6999"], _bench.Node.Commands);
        Assert.Empty(_reconciled);
    }

    /// <summary>
    /// Rule 13 for a member that comes back without a decided role (its silo died while it was primary;
    /// it restarts as a replica): write authority comes only from an election, and its successor may be
    /// elected at any moment, so a node that still takes writes is fenced at the first probe.
    /// </summary>
    [Theory]
    [InlineData(DataNodeKind.Redis)]
    [InlineData(DataNodeKind.Kevy)]
    public async Task An_undecided_member_fences_a_node_that_takes_writes_until_the_election_decides(DataNodeKind kind)
    {
        var member = Member(kind);
        Assert.Equal("master", _bench.Node.Role);
        await TickAsync(member);
        Assert.True(_bench.Node.Fenced, "an undecided member left a writable master open");
        Assert.Equal(("fence", "undecided"), Assert.Single(_reconciled));

        await TickAsync(member);
        await TickAsync(member);
        Assert.True(_bench.Node.Fenced);
        // A Redis pause is renewed every tick (it would run out); a fenced kevy node follows the fence endpoint and is left alone.
        Assert.Equal(kind == DataNodeKind.Redis ? 3 : 1, Count("fence"));
        Assert.Single(_reconciled);

        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", "h:6001"));
        Assert.False(_bench.Node.Fenced); // the follow lifts the fence, after REPLICAOF
        Assert.Equal("follow h:6001", _bench.Node.Commands.Last());
    }

    [Fact]
    public async Task A_silent_node_is_not_driven_until_it_answers()
    {
        var member = Member();
        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", "h:6001"));
        _bench.Node.Alive = false;
        await TickAsync(member);
        _bench.Node.RestartAsEmptyMaster();
        _bench.Node.Alive = false;
        await TickAsync(member);
        Assert.Equal(["follow h:6001"], _bench.Node.Commands);
        _bench.Node.Alive = true;
        await TickAsync(member);
        Assert.Equal(["follow h:6001", "follow h:6001"], _bench.Node.Commands);
    }
}
