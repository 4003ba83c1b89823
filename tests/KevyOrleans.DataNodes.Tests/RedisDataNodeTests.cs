using System.Diagnostics;
using StackExchange.Redis;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>
/// The redis kind against real redis-server processes, each outcome checked with StackExchange.Redis:
/// probe, promote, follow, and the CLIENT PAUSE fence.
/// </summary>
public sealed class RedisDataNodeTests(RedisPair redis) : RedisPairTests(redis)
{
    // Short enough to outlast in a test, long enough that a loaded machine's scheduling delays between
    // renewals (seen: 0.7 s) never let it run out.
    private static readonly TimeSpan ShortPause = TimeSpan.FromSeconds(2);

    private static RespDataNode Node(RedisServer server, TimeSpan? fencePause = null) =>
        new(server.Host, server.Port, DataNodeKind.Redis, null, fencePause ?? TimeSpan.FromSeconds(10));

    [Fact]
    public async Task The_probe_reads_role_master_and_offsets_as_the_server_reports_them()
    {
        await using var a = Node(A);
        await using var b = Node(B);
        await b.FollowAsync(A.Host, A.Port, Deadline.Call());
        await using (var writer = await Independent.ConnectAsync(A))
        {
            for (var i = 0; i < 50; i++)
            {
                await writer.Db.StringSetAsync($"k{i}", new string('v', i));
            }
            Assert.Equal(1L, (long)await writer.Server.ExecuteAsync("WAIT", 1, 5000));
        }
        DataNodeProbe pa = default, pb = default;
        Dictionary<string, string> infoA = [], infoB = [];
        // WAIT's own GETACK moves the offsets once more; they settle within a moment.
        await Deadline.UntilAsync(async () =>
        {
            pa = await a.ProbeAsync(Deadline.Call());
            pb = await b.ProbeAsync(Deadline.Call());
            infoA = await Independent.ReplicationAsync(A);
            infoB = await Independent.ReplicationAsync(B);
            return pa.Offset == pb.Offset && infoA["master_repl_offset"] == $"{pa.Offset}" && infoB["slave_repl_offset"] == $"{pb.Offset}";
        }, "the replica's offset reaches the master's");
        Assert.Equal(DataNodeRole.Master, pa.Role);
        Assert.True(pa.Offset > 0);
        Assert.Equal(DataNodeRole.Replica, pb.Role);
        Assert.True(pb.Follows(A.Host, A.Port), pb.ToString());
        Assert.Equal("up", pb.MasterLinkStatus);
    }

    [Fact]
    public async Task A_dead_node_fails_its_probe_within_the_deadline()
    {
        await using var server = await RedisServer.StartAsync();
        await using var node = Node(server);
        Assert.True((await node.ProbeAsync(Deadline.Call())).Answered);
        await server.KillAsync();
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; attempt < 2; attempt++) // the first on the dead connection, the second reconnecting
        {
            await Assert.ThrowsAnyAsync<Exception>(() => node.ProbeAsync(Deadline.After(TimeSpan.FromMilliseconds(500))));
        }
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Follow_makes_the_primarys_data_appear_on_the_replica_and_is_idempotent()
    {
        await Independent.SetAsync(A, "before", "1");
        await using var b = Node(B);
        await b.FollowAsync(A.Host, A.Port, Deadline.Call());
        await b.FollowAsync(A.Host, A.Port, Deadline.Call()); // "+OK Already connected": no resync, no error
        await Independent.SetAsync(A, "after", "2");
        await Deadline.UntilAsync(async () => await Independent.GetAsync(B, "before") == "1" && await Independent.GetAsync(B, "after") == "2",
            "both keys on the replica");
        var info = await Independent.ReplicationAsync(B);
        Assert.Equal("slave", info["role"]);
        Assert.Equal($"{A.Port}", info["master_port"]);
    }

    [Fact]
    public async Task Promote_turns_a_replica_into_a_writable_master_that_keeps_its_data()
    {
        await Independent.SetAsync(A, "kept", "yes");
        await using var b = Node(B);
        await b.FollowAsync(A.Host, A.Port, Deadline.Call());
        await Deadline.UntilAsync(async () => await Independent.GetAsync(B, "kept") == "yes", "the key replicated");
        await b.PromoteAsync(Deadline.Call());
        await b.PromoteAsync(Deadline.Call());
        Assert.Equal("master", (await Independent.ReplicationAsync(B))["role"]);
        await using var c = await Independent.ConnectAsync(B);
        Assert.True(await c.Db.StringSetAsync("new", "write"));
        Assert.Equal("yes", await c.Db.StringGetAsync("kept"));
        Assert.Equal(DataNodeRole.Master, (await b.ProbeAsync(Deadline.Call())).Role);
    }

    [Fact]
    public async Task A_fence_holds_writes_while_renewed_and_unfence_releases_them()
    {
        await using var a = Node(A, ShortPause);
        await using var writer = await Independent.WriterAsync(A, timeoutMs: 30_000);
        await a.FenceAsync(Deadline.Call());

        var held = writer.Db.StringSetAsync("held", "x");
        await Assert.ThrowsAsync<TimeoutException>(() => held.WaitAsync(TimeSpan.FromMilliseconds(300))); // a client with a short timeout gives up
        // Renewed every fifth of the pause for well past its length: only the renewals keep it shut.
        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(ShortPause / 5);
            await a.FenceAsync(Deadline.Call());
            Assert.False(held.IsCompleted, $"a write was acknowledged while fenced (renewal {i}): {held.Status} {held.Exception}");
        }
        Assert.True((await a.ProbeAsync(Deadline.Call())).Answered); // PING and INFO are not paused

        await a.UnfenceAsync(Deadline.Call());
        await a.UnfenceAsync(Deadline.Call());
        Assert.True(await held.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("x", await Independent.GetAsync(A, "held"));
        Assert.True(await writer.Db.StringSetAsync("open", "again"));
    }

    [Fact]
    public async Task A_fenced_node_told_to_follow_answers_its_held_writes_with_READONLY()
    {
        await using var a = Node(A);
        await using var writer = await Independent.WriterAsync(A, timeoutMs: 30_000);
        await a.FenceAsync(Deadline.Call());
        var held = writer.Db.StringSetAsync("stale", "write");
        await Task.Delay(200);
        Assert.False(held.IsCompleted);

        // REPLICAOF first, then UNPAUSE: the held write runs on a replica, never on the old master.
        await a.FollowAsync(B.Host, B.Port, Deadline.Call());
        var e = await Assert.ThrowsAsync<RedisServerException>(() => held.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.StartsWith("READONLY", e.Message, StringComparison.Ordinal);
        await Deadline.UntilAsync(async () => (await Independent.ReplicationAsync(A))["master_link_status"] == "up", "A syncs from B");
        Assert.Null(await Independent.GetAsync(A, "stale"));
        Assert.Null(await Independent.GetAsync(B, "stale"));
    }
}
