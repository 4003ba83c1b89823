using KevyOrleans.Election;
using KevyOrleans.Protocol;
using StackExchange.Redis;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>
/// The kevy kind, played by real redis-servers (they speak the same REPLICAOF and INFO): it follows a
/// primary's client port + 10000, and fences by following an endpoint nobody serves.
/// </summary>
public sealed class KevyDataNodeTests(RedisPair redis) : RedisPairTests(redis)
{
    private RedisServer Primary => A;

    private RedisServer Replica => B;

    /// <summary>
    /// The primary's redis-server listens on X, so the member list declares its client port as X - 10000:
    /// a kevy primary with that client port would have its replication listener on X.
    /// </summary>
    private GroupDefinition Group() => new("kv",
        new ElectionGroup(MemberList.Parse(
            $"p1@127.0.0.1:7001:{Primary.Port - DataNodeConventions.KevyReplicationPortOffset}," +
            $"r2@127.0.0.1:7002:{Replica.Port}"), []),
        ["r2"], ElectionTimings.Default, DataNodeKind.Kevy);

    [Fact]
    public async Task A_kevy_replica_follows_the_primarys_client_port_plus_10000()
    {
        var group = Group();
        await Independent.SetAsync(Primary, "order:1", "paid");
        await using var replica = (RespDataNode)new RespDataNodeFactory().Create(group, "r2");
        var p1 = group.Member("p1");
        await replica.FollowAsync(p1.Host, p1.ClientPort, Deadline.Call());

        Assert.Equal($"{Primary.Port}", (await Independent.ReplicationAsync(Replica))["master_port"]);
        await Deadline.UntilAsync(async () => await Independent.GetAsync(Replica, "order:1") == "paid", "the key on the kevy replica");
        var probe = await replica.ProbeAsync(Deadline.Call());
        Assert.True(probe.Follows("127.0.0.1", Primary.Port), probe.ToString());
    }

    [Fact]
    public async Task A_fenced_kevy_node_answers_writes_with_READONLY_keeps_its_data_and_unfence_reopens_it()
    {
        await using var node = new RespDataNode(Primary.Host, Primary.Port, DataNodeKind.Kevy, null, TimeSpan.FromSeconds(10));
        await Independent.SetAsync(Primary, "kept", "1");
        var before = await node.ProbeAsync(Deadline.Call());
        await using var client = await Independent.WriterAsync(Primary);

        await node.FenceAsync(Deadline.Call());
        await node.FenceAsync(Deadline.Call()); // renewal: "+OK Already connected to specified master"

        var e = await Assert.ThrowsAsync<RedisServerException>(() => client.Db.StringSetAsync("rejected", "x"));
        Assert.StartsWith("READONLY", e.Message, StringComparison.Ordinal);
        Assert.Equal("1", await Independent.GetAsync(Primary, "kept"));
        var fenced = await node.ProbeAsync(Deadline.Call());
        Assert.True(fenced.Follows(DataNodeConventions.KevyFenceHost, DataNodeConventions.KevyFencePort), fenced.ToString());
        Assert.Equal(before.Offset, fenced.Offset); // the election still sees the offset it had

        await node.UnfenceAsync(Deadline.Call());
        Assert.Equal("master", (await Independent.ReplicationAsync(Primary))["role"]);
        Assert.True(await client.Db.StringSetAsync("accepted", "y"));
        Assert.Equal("1", await client.Db.StringGetAsync("kept"));
        Assert.True((await client.Db.StringGetAsync("rejected")).IsNull);
    }
}
