using KevyOrleans.Election;
using KevyOrleans.Protocol;
using StackExchange.Redis;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>
/// Rule 13 for the redis kind: a promoted primary fences itself (min-replicas-to-write) when its
/// replicas are gone, with no member to tell it; the numbers the agent derives from a group; follow
/// clears the setting. Against real redis-server processes.
/// </summary>
public sealed class SelfFenceTests(RedisPair redis) : RedisPairTests(redis)
{
    private static RespDataNode Node(RedisServer server, RedisSelfFence? selfFence) =>
        new(server.Host, server.Port, DataNodeKind.Redis, null, TimeSpan.FromSeconds(10), selfFence);

    private static GroupDefinition Group(string peers, string witnesses, int heartbeatMs, int downAfterMs, DataNodeKind kind = DataNodeKind.Redis) =>
        new("g", new ElectionGroup(MemberList.Parse(peers), witnesses.Split(',', StringSplitOptions.RemoveEmptyEntries)), ["n1"],
            new ElectionTimings { HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs), DownAfter = TimeSpan.FromMilliseconds(downAfterMs) }, kind);

    [Fact]
    public void The_self_fence_asks_a_majority_of_the_data_nodes_and_the_lease_window_in_whole_seconds()
    {
        const string Three = "n1@h:1:2,n2@h:3:4,n3@h:5:6";
        Assert.Equal(new RedisSelfFence(1, 4), DataNodeConventions.SelfFence(Group(Three, "", 200, 5000))); // lease 4.6 s
        // 2 data + 1 witness: quorum 2, and the primary's one replica is all it can count.
        Assert.Equal(new RedisSelfFence(1, 1), DataNodeConventions.SelfFence(Group("n1@h:1:2,n2@h:3:4,w3@h:5", "w3", 200, 1000))); // lease 0.6 s: at least 1
        // 3 data + 2 witnesses: a majority of the data nodes is the primary and one replica.
        Assert.Equal(new RedisSelfFence(1, 1), DataNodeConventions.SelfFence(Group("n1@h:1:2,n2@h:3:4,n3@h:5:6,w4@h:7,w5@h:8", "w4,w5", 200, 2000)));
        Assert.Equal(new RedisSelfFence(2, 4), DataNodeConventions.SelfFence(Group("n1@h:1:2,n2@h:3:4,n3@h:5:6,n4@h:7:8,n5@h:9:10", "", 200, 5000)));
        // 1 data + 2 witnesses: no replica to count, nothing to set.
        Assert.Null(DataNodeConventions.SelfFence(Group("n1@h:1:2,w2@h:3,w3@h:5", "w2,w3", 200, 5000)));
        Assert.Null(DataNodeConventions.SelfFence(Group(Three, "", 200, 5000, DataNodeKind.Kevy)));
        var on = Group(Three, "", 200, 5000);
        Assert.Null(DataNodeConventions.SelfFence(new GroupDefinition(on.Name, on.Election, on.Hosted, on.Timings, on.DataNodes) { RedisSelfFence = false }));
    }

    [Fact]
    public void Promote_sets_the_self_fence_before_it_opens_writes_and_follow_clears_it()
    {
        var redis = DataNodeDialect.For(DataNodeKind.Redis, TimeSpan.FromSeconds(10), new RedisSelfFence(2, 4));
        Assert.Equal(
            [["CONFIG", "SET", "min-replicas-max-lag", "4"], ["CONFIG", "SET", "min-replicas-to-write", "2"], ["REPLICAOF", "NO", "ONE"], ["CLIENT", "UNPAUSE"]],
            redis.Promote());
        Assert.Equal([["REPLICAOF", "10.0.0.5", "6379"], ["CONFIG", "SET", "min-replicas-to-write", "0"], ["CLIENT", "UNPAUSE"]], redis.Follow("10.0.0.5", 6379));
    }

    [Fact]
    public async Task A_promoted_primary_refuses_writes_while_its_replica_is_gone_and_takes_them_again_when_it_returns()
    {
        await using var a = Node(A, new RedisSelfFence(1, 1));
        await using var b = Node(B, new RedisSelfFence(1, 1));
        await b.FollowAsync(A.Host, A.Port, Deadline.Call());
        await a.PromoteAsync(Deadline.Call());
        await using var writer = await Independent.WriterAsync(A, timeoutMs: 3000);
        await Deadline.UntilAsync(async () => await TryWriteAsync(writer, "before") is null, "the primary takes writes with its replica attached");

        // The replica's process hangs: its connection stays open, its acknowledgements stop (a partition,
        // or a host that froze). No member tells the primary anything.
        B.Freeze();
        try
        {
            string? refusal = null;
            await Deadline.UntilAsync(async () => (refusal = await TryWriteAsync(writer, "orphaned")) is not null,
                "the primary refuses writes once its replica is silent for longer than min-replicas-max-lag", TimeSpan.FromSeconds(15));
            Assert.StartsWith("NOREPLICAS", refusal, StringComparison.Ordinal);
        }
        finally
        {
            B.Thaw();
        }
        await Deadline.UntilAsync(async () => await TryWriteAsync(writer, "after") is null,
            "the primary takes writes again when its replica is back", TimeSpan.FromSeconds(15));
        await Deadline.UntilAsync(async () => await Independent.GetAsync(B, "k") == "after", "the write after the return reaches the replica");
    }

    [Fact]
    public async Task A_replica_that_returns_to_follow_loses_the_self_fence_of_its_time_as_primary()
    {
        await using var a = Node(A, new RedisSelfFence(1, 1));
        await a.PromoteAsync(Deadline.Call());
        await using var writer = await Independent.WriterAsync(A, timeoutMs: 3000);
        Assert.StartsWith("NOREPLICAS", await TryWriteAsync(writer, "alone"), StringComparison.Ordinal);
        await a.FollowAsync(B.Host, B.Port, Deadline.Call());
        await using var admin = await Independent.ConnectAsync(A);
        var setting = await admin.Server.ConfigGetAsync("min-replicas-to-write");
        Assert.Equal("0", Assert.Single(setting).Value);
    }

    // null = acknowledged; otherwise the server's refusal.
    private static async Task<string?> TryWriteAsync(Independent writer, string value)
    {
        try
        {
            await writer.Db.StringSetAsync("k", value);
            return null;
        }
        catch (RedisServerException e)
        {
            return e.Message;
        }
    }
}
