using System.Diagnostics.Metrics;
using KevyOrleans.Election;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KevyOrleans.Grains.Tests;

/// <summary>
/// A planned switchover through the member runner: the fence's result reaches the elector, and only a
/// confirmed fence lets the primary step down. Scripted data node, hand-moved clock.
/// </summary>
public sealed class HostedMemberSwitchoverTests : IDisposable
{
    private static readonly GroupDefinition Group = new("orders",
        new ElectionGroup(MemberList.Parse("n1@h:7001:6001,n2@h:7002:6002,w3@h:7003"), ["w3"]),
        ["n1", "n2", "w3"], ElectionTimings.Default, DataNodeKind.Redis);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedDataNode _node = new();

    public void Dispose() => _services.Dispose();

    /// <summary>n2 wins with the witness' vote after the cold-start grace; n1 is up and caught up.</summary>
    private async Task<HostedMember> PrimaryAsync()
    {
        var member = new HostedMember(Group, "n2", new MemoryMemberStore(), new MemoryMemberOutbox(), _node, _time, NullLogger.Instance,
            new KevyMetrics(_services.GetRequiredService<IMeterFactory>()), TimeSpan.FromSeconds(1), new Random(1));
        await member.TickAsync();
        _time.Advance(ElectionTimings.Default.DownAfter + TimeSpan.FromMilliseconds(1));
        await member.TickAsync();
        await member.ReceiveAsync(ElectionMessage.Accept(member.Epoch, "w3"));
        Assert.Equal(Role.Primary, member.Role);
        return member;
    }

    private async Task TicksWithPeersAsync(HostedMember member, int ticks)
    {
        for (var i = 0; i < ticks; i++)
        {
            await member.ReceiveAsync(ElectionMessage.Heartbeat(member.Epoch, "n1", Role.Replica, _node.Offset));
            await member.ReceiveAsync(ElectionMessage.Heartbeat(member.Epoch, "w3", Role.Replica, 0));
            _time.Advance(ElectionTimings.Default.HeartbeatInterval);
            await member.TickAsync();
        }
    }

    [Fact]
    public async Task A_primary_whose_fence_fails_never_steps_down_for_the_switchover()
    {
        var member = await PrimaryAsync();
        _node.FenceFails = true;
        await member.PlanHandoverAsync("n1", TimeSpan.FromSeconds(5));
        await TicksWithPeersAsync(member, 30); // past the plan's deadline: n1 is up and caught up all along

        Assert.Equal(Role.Primary, member.Role);
        Assert.Equal("n2", member.Snapshot("s").KnownPrimary);
        Assert.False(member.Snapshot("s").Fenced); // the plan was abandoned: its lease reopened it
        Assert.False(_node.Fenced);
        Assert.Equal("master", _node.Role);
    }

    [Fact]
    public async Task A_primary_whose_fence_is_confirmed_steps_down_for_the_switchover()
    {
        var member = await PrimaryAsync();
        await member.PlanHandoverAsync("n1", TimeSpan.FromSeconds(5));
        await TicksWithPeersAsync(member, 3);

        Assert.Equal(Role.Replica, member.Role);
        Assert.True(_node.Fenced); // fenced until it follows the new primary
    }
}
