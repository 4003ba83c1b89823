using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// The lease between hosted members runs from the newest of the primary's own heartbeats each peer
/// proves it heard (its echoed <see cref="HeartbeatStamp"/>), not from the peer's last frame: a peer's
/// down_after runs from the last heartbeat it got, which its frames alone do not tell.
/// </summary>
public sealed class LeaseEchoTests
{
    private const string Members = "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003";

    /// <summary>n1 primary at epoch 6 with n2's vote.</summary>
    private static ElectorHarness PrimaryAtSix()
    {
        var h = new ElectorHarness("n1", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Advance(h.Timings.DownAfter + h.Timings.HeartbeatInterval);
        h.Receive(ElectionMessage.Accept(6, "n2"));
        Assert.Equal((Role.Primary, 6UL), (h.Elector.Role, h.Elector.Epoch));
        return h;
    }

    private static ElectionMessage Echo(string peer, HeartbeatStamp stamp) =>
        ElectionMessage.Heartbeat(6, peer, Role.Replica, 10) with { Stamp = stamp };

    /// <summary>Moves one hb_interval; returns the stamp of the heartbeat n1 sent, if any.</summary>
    private static HeartbeatStamp? Step(ElectorHarness h, List<TimeSpan> fencedAt)
    {
        var sent = h.Advance(h.Timings.HeartbeatInterval).SelectMany(e => e.Sent(Verb.Heartbeat)).LastOrDefault();
        if (h.Elector.Intent != DataNodeIntent.Primary)
        {
            fencedAt.Add(h.Now);
        }
        return sent.Verb == Verb.Heartbeat ? sent.Stamp : null;
    }

    /// <summary>
    /// The two-step cut of the soak (3:1012033, 5:1069027, 7:1014695): the primary's frames stop reaching
    /// its peers, it still hears them for almost down_after, then nothing arrives either way. The peers
    /// may elect down_after after the last heartbeat they got; the primary must be fenced by then, so it
    /// cannot count a peer from that peer's frames alone.
    /// </summary>
    [Fact]
    public void A_primary_whose_heartbeats_stop_reaching_its_peers_fences_before_they_may_elect()
    {
        var h = PrimaryAtSix();
        var fencedAt = new List<TimeSpan>();
        var echo = HeartbeatStamp.None;
        for (var i = 0; i < 5; i++) // all is well: the peers echo each heartbeat
        {
            echo = Step(h, fencedAt) ?? echo;
            Assert.NotEqual(HeartbeatStamp.None, echo);
            h.Receive(Echo("n2", echo));
            h.Receive(Echo("n3", echo));
        }
        Assert.Empty(fencedAt);
        var cut = h.Now; // from here n1's frames are lost: the peers' down_after runs from its last heartbeat
        while (h.Now - cut < h.Timings.DownAfter - h.Timings.HeartbeatInterval)
        {
            Step(h, fencedAt);
            h.Receive(Echo("n2", echo)); // they still reach n1, echoing the last heartbeat they got
            h.Receive(Echo("n3", echo));
        }
        while (h.Now - cut < h.Timings.DownAfter) // then the cut is complete
        {
            Step(h, fencedAt);
        }
        Assert.NotEmpty(fencedAt);
        Assert.True(fencedAt[0] - cut <= h.Timings.LeaseWindow + h.Timings.HeartbeatInterval,
            $"fenced {(fencedAt[0] - cut).TotalMilliseconds} ms after its last heartbeat reached the peers (down_after {h.Timings.DownAfter.TotalMilliseconds} ms)");
    }

    /// <summary>While the echoes keep coming the primary keeps its lease, as long as it likes.</summary>
    [Fact]
    public void Peers_that_echo_fresh_heartbeats_keep_the_lease()
    {
        var h = PrimaryAtSix();
        var fencedAt = new List<TimeSpan>();
        var echo = HeartbeatStamp.None;
        while (h.Now < TimeSpan.FromSeconds(130))
        {
            echo = Step(h, fencedAt) ?? echo;
            h.Receive(Echo("n3", echo)); // one peer is a majority with n1
        }
        Assert.Empty(fencedAt);
    }

    /// <summary>
    /// An echo proves something only to the activation that stamped it: a stamp of another activation
    /// (a peer still echoing the member's previous life on another silo, whose clock means nothing
    /// here), or no stamp at all, keeps no lease, however often the peer's frames arrive.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_echo_of_another_activation_or_of_nothing_keeps_no_lease(bool otherActivation)
    {
        var h = PrimaryAtSix();
        var won = h.Now;
        var fencedAt = new List<TimeSpan>();
        while (h.Now - won < h.Timings.DownAfter)
        {
            var own = Step(h, fencedAt);
            var echo = otherActivation && own is { } s ? s with { Activation = s.Activation + 1 } : HeartbeatStamp.None;
            h.Receive(Echo("n2", echo));
            h.Receive(Echo("n3", echo));
        }
        Assert.NotEmpty(fencedAt); // n2's vote proved it heard the OFFER; nothing proves anything since
        Assert.True(fencedAt[0] - won <= h.Timings.LeaseWindow + h.Timings.HeartbeatInterval);
    }

    /// <summary>External kevy members echo nothing (their frames carry no stamp): the lease counts their frames as before.</summary>
    [Fact]
    public void Frames_without_a_stamp_count_from_their_arrival_as_kevy_does()
    {
        var h = PrimaryAtSix();
        var fencedAt = new List<TimeSpan>();
        while (h.Now < TimeSpan.FromSeconds(130))
        {
            Step(h, fencedAt);
            h.Receive(ElectionMessage.Heartbeat(6, "n3", Role.Replica, 10));
        }
        Assert.Empty(fencedAt);
    }

    /// <summary>A replica echoes the newest heartbeat of the primary it follows, and nothing of another member.</summary>
    [Fact]
    public void A_replica_echoes_the_stamp_of_the_primary_it_follows()
    {
        var h = new ElectorHarness("n2", Members, offset: 10);
        var stamp = new HeartbeatStamp(42, 1234);
        h.Receive(ElectionMessage.Heartbeat(2, "n1", Role.Primary, 10) with { Stamp = stamp });
        Assert.Equal("n1", h.Elector.KnownPrimary);
        h.Receive(ElectionMessage.Heartbeat(2, "n3", Role.Replica, 10) with { Stamp = new HeartbeatStamp(7, 99) });
        var sent = h.Advance(h.Timings.HeartbeatInterval).SelectMany(e => e.Sent(Verb.Heartbeat)).Last();
        Assert.Equal(stamp, sent.Stamp);
    }

    /// <summary>
    /// Soak seed 7:7059732: a peer that holds a notice of its primary's certain death may elect a successor at
    /// once, so it echoes nothing of that primary, not even of an activation that resumed the same epoch and
    /// role (a restarted primary: the notice cannot tell its frames from stale ones); echoes return when the
    /// notice ends.
    /// </summary>
    [Fact]
    public void A_replica_holding_a_notice_of_its_primarys_death_echoes_nothing()
    {
        var h = new ElectorHarness("n2", Members, stored: new DurableRecord(2, null, null), offset: 10);
        h.Receive(ElectionMessage.Heartbeat(2, "n1", Role.Primary, 10) with { Stamp = new HeartbeatStamp(42, 1234) });
        h.PeerDied("n1", 2, Role.Primary);
        var resumed = new HeartbeatStamp(43, 99); // the restarted primary's new activation
        h.Receive(ElectionMessage.Heartbeat(2, "n1", Role.Primary, 10) with { Stamp = resumed });
        var sent = h.Advance(h.Timings.HeartbeatInterval).SelectMany(e => e.Sent(Verb.Heartbeat)).Last();
        Assert.Equal(HeartbeatStamp.None, sent.Stamp ?? HeartbeatStamp.None);
        h.Advance(h.Timings.DownAfter); // the notice lapses
        h.Receive(ElectionMessage.Heartbeat(2, "n1", Role.Primary, 10) with { Stamp = resumed });
        Assert.Equal("n1", h.Elector.KnownPrimary);
        sent = h.Advance(h.Timings.HeartbeatInterval).SelectMany(e => e.Sent(Verb.Heartbeat)).Last();
        Assert.Equal(resumed, sent.Stamp);
    }
}
