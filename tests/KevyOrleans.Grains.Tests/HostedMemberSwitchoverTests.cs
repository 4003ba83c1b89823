using KevyOrleans.Election;
using KevyOrleans.Grains.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains.Tests;

/// <summary>
/// A planned switchover through the member runner: the fence's result reaches the elector, and only a
/// confirmed fence lets the primary step down. Scripted data node, hand-moved clock.
/// </summary>
public sealed class HostedMemberSwitchoverTests : IDisposable
{
    private readonly ScriptedMemberBench _bench = new();

    public void Dispose() => _bench.Dispose();

    /// <summary>n2 wins with the witness' vote after the cold-start grace; n1 is up and caught up.</summary>
    private Task<HostedMember> PrimaryAsync() => _bench.PrimaryAsync();

    private async Task TicksWithPeersAsync(HostedMember member, int ticks)
    {
        for (var i = 0; i < ticks; i++)
        {
            await member.ReceiveAsync(ElectionMessage.Heartbeat(member.Epoch, "n1", Role.Replica, _bench.Node.Offset));
            await member.ReceiveAsync(ElectionMessage.Heartbeat(member.Epoch, "w3", Role.Replica, 0));
            _bench.Time.Advance(ElectionTimings.Default.HeartbeatInterval);
            await member.TickAsync();
        }
    }

    [Fact]
    public async Task A_primary_whose_fence_fails_never_steps_down_for_the_switchover()
    {
        var member = await PrimaryAsync();
        _bench.Node.FenceFails = true;
        await member.PlanHandoverAsync("n1", TimeSpan.FromSeconds(5));
        await TicksWithPeersAsync(member, 30); // past the plan's deadline: n1 is up and caught up all along

        Assert.Equal(Role.Primary, member.Role);
        Assert.Equal("n2", member.Snapshot("s").KnownPrimary);
        Assert.False(member.Snapshot("s").Fenced); // the plan was abandoned: its lease reopened it
        Assert.False(_bench.Node.Fenced);
        Assert.Equal("master", _bench.Node.Role);
    }

    [Fact]
    public async Task A_primary_whose_fence_is_confirmed_steps_down_for_the_switchover()
    {
        var member = await PrimaryAsync();
        await member.PlanHandoverAsync("n1", TimeSpan.FromSeconds(5));
        await TicksWithPeersAsync(member, 3);

        Assert.Equal(Role.Replica, member.Role);
        Assert.True(_bench.Node.Fenced); // fenced until it follows the new primary
    }
}
