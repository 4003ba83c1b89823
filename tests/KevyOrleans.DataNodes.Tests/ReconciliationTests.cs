using KevyOrleans.Election;
using KevyOrleans.Protocol;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>
/// A member runner driving a real redis-server: the data node crashes (SIGKILL) and comes back as an
/// empty master; the member's next probes see it and tell it to follow the primary again.
/// </summary>
public sealed class ReconciliationTests(RedisPair redis) : RedisPairTests(redis)
{
    [Fact]
    public async Task A_replica_that_restarts_empty_as_a_master_is_told_to_follow_and_resyncs()
    {
        RedisServer primary = A, replica = B;
        var group = new GroupDefinition("orders",
            new ElectionGroup(MemberList.Parse($"n1@127.0.0.1:7001:{primary.Port},n2@127.0.0.1:7002:{replica.Port},w3@127.0.0.1:7003"), ["w3"]),
            ["n2"], ElectionTimings.Default, DataNodeKind.Redis);
        await using var node = (RespDataNode)new RespDataNodeFactory().Create(group, "n2");
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var member = new HostedMember(group, "n2", new MemoryMemberStore(), new MemoryMemberOutbox(), node, TimeProvider.System,
            NullLogger.Instance, new KevyMetrics(services.GetRequiredService<IMeterFactory>()), TimeSpan.FromSeconds(2), new Random(1));

        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", $"127.0.0.1:{primary.Port}"));
        await Independent.SetAsync(primary, "order:1", "paid");
        await Deadline.UntilAsync(async () => await Independent.GetAsync(replica, "order:1") == "paid", "the replica follows n1");

        await replica.KillAsync();
        await replica.StartAgainAsync();
        Assert.Equal("master", (await Independent.ReplicationAsync(replica))["role"]);
        Assert.Null(await Independent.GetAsync(replica, "order:1"));

        // The first probe may meet the connection the crash broke; a later one reconnects and reconciles.
        await Deadline.UntilAsync(async () =>
        {
            await member.TickAsync();
            return (await Independent.ReplicationAsync(replica))["role"] == "slave";
        }, "the member tells the restarted node to follow");
        var info = await Independent.ReplicationAsync(replica);
        Assert.Equal($"{primary.Port}", info["master_port"]);
        await Deadline.UntilAsync(async () => await Independent.GetAsync(replica, "order:1") == "paid", "the data is back on the replica");
    }
}
