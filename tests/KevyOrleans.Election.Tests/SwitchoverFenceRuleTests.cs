using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// Issue 9 item 6: a switchover steps down only on a confirmed fence, and a fence confirmed before the data
/// node went silent, or before the member was paused, no longer counts. One elector at a time; each failed
/// before its fix.
/// </summary>
public sealed class SwitchoverFenceRuleTests
{
    private const string Members = "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003";

    /// <summary>n1 runs after the cold-start grace and wins epoch 2 with n2's vote; n2 and n3 keep talking.</summary>
    private static ElectorHarness Primary(ulong offset = 10)
    {
        var h = new ElectorHarness("n1", Members, offset: offset);
        h.Advance(h.Timings.DownAfter + h.Timings.HeartbeatInterval);
        h.Receive(ElectionMessage.Accept(2, "n2"));
        Assert.Equal(Role.Primary, h.Elector.Role);
        return h;
    }

    private static void PeersReport(ElectorHarness h, ulong epoch, ulong offset)
    {
        h.Receive(ElectionMessage.Heartbeat(epoch, "n2", Role.Replica, offset));
        h.Receive(ElectionMessage.Heartbeat(epoch, "n3", Role.Replica, offset));
    }

    [Fact]
    public void Switchover_steps_down_only_after_the_fence_is_confirmed()
    {
        var h = Primary();
        PeersReport(h, 2, 10);
        Assert.Equal([DataNodeAction.Fence], h.PlanHandover("n3", TimeSpan.FromSeconds(5)).Actions);
        h.Advance(h.Timings.HeartbeatInterval); // probed, target caught up, but no fence result yet
        PeersReport(h, 2, 10);
        h.Advance(h.Timings.HeartbeatInterval);
        Assert.Equal(Role.Primary, h.Elector.Role);

        h.ObserveFence(confirmed: true);
        Assert.Equal(Role.Primary, h.Elector.Role); // the probe must come after the confirmation
        PeersReport(h, 2, 10);
        var stepped = h.Advance(h.Timings.HeartbeatInterval);
        Assert.Contains(stepped, e => e.Has(ElectorEventKind.SteppedDownForHandover));
        Assert.Equal(Role.Replica, h.Elector.Role);
    }

    /// <summary>
    /// Soak seed 3:5007311 (S8): the fence was confirmed, then the data node stopped answering for seconds,
    /// longer than its pause; it came back unpaused and the primary stepped down on the old confirmation
    /// while the node took writes. A data node that did not answer may have lost its fence: only a fence
    /// confirmed after it answered again counts.
    /// </summary>
    [Fact]
    public void Switchover_does_not_step_down_on_a_fence_confirmed_before_the_data_node_went_silent()
    {
        var h = Primary();
        PeersReport(h, 2, 10);
        h.PlanHandover("n3", TimeSpan.FromSeconds(20));
        h.ObserveFence(confirmed: true);
        h.Wait(h.Timings.HeartbeatInterval);
        h.Observe(answered: false); // silent: the pause may run out meanwhile
        h.Tick();
        h.Wait(h.Timings.HeartbeatInterval);
        PeersReport(h, 2, 10);
        h.Observe(); // back, perhaps unpaused
        Assert.DoesNotContain(h.Tick().Events, e => e.Kind == ElectorEventKind.SteppedDownForHandover);
        Assert.Equal(Role.Primary, h.Elector.Role);

        h.ObserveFence(confirmed: true); // fenced again after it answered
        PeersReport(h, 2, 10);
        var stepped = h.Advance(h.Timings.HeartbeatInterval);
        Assert.Contains(stepped, e => e.Has(ElectorEventKind.SteppedDownForHandover));
    }

    /// <summary>Soak seed 3:6071628 (S8): the same, with the member's process paused instead of its data node silent.</summary>
    [Fact]
    public void Switchover_does_not_step_down_on_a_fence_confirmed_before_the_member_was_paused()
    {
        var h = Primary();
        PeersReport(h, 2, 10);
        h.PlanHandover("n3", TimeSpan.FromSeconds(20));
        h.ObserveFence(confirmed: true);
        h.Wait(5 * h.Timings.HeartbeatInterval); // paused: no tick, no renewal
        PeersReport(h, 2, 10);
        h.Observe();
        h.Tick();
        Assert.Equal(Role.Primary, h.Elector.Role);

        h.ObserveFence(confirmed: true);
        PeersReport(h, 2, 10);
        Assert.Contains(h.Advance(h.Timings.HeartbeatInterval), e => e.Has(ElectorEventKind.SteppedDownForHandover));
    }

    [Fact]
    public void Switchover_is_abandoned_when_the_fence_fails_and_the_primary_stays_and_unfences()
    {
        var h = Primary();
        PeersReport(h, 2, 10);
        h.PlanHandover("n3", TimeSpan.FromSeconds(5));
        var failed = h.ObserveFence(confirmed: false);
        var abandoned = Assert.Single(failed.Events, e => e.Kind == ElectorEventKind.HandoverAbandoned);
        Assert.Contains("fence failed", abandoned.Detail, StringComparison.Ordinal);
        Assert.Equal([DataNodeAction.Unfence], failed.Actions); // its majority is visible: the lease reopens it
        Assert.Null(h.Elector.Handover);
        for (var i = 0; i < 10; i++)
        {
            PeersReport(h, 2, 10);
            Assert.DoesNotContain(h.Advance(h.Timings.HeartbeatInterval), e => e.Has(ElectorEventKind.SteppedDownForHandover));
        }
        Assert.Equal(Role.Primary, h.Elector.Role);
        Assert.Equal(DataNodeIntent.Primary, h.Elector.Intent);
    }
}
