using KevyOrleans.Election.Tests.Simulated;
using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>Rule 14, definitive death: the fast path, its switch, and notices that are stale, late or repeated.</summary>
public sealed class CertainDeathTests
{
    private const string Members = "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003";
    private static readonly ElectionTimings T = ElectionTimings.Default;

    private static Simulation Group(bool fastFailover = true)
    {
        var list = new MemberList(Enumerable.Range(1, 3).Select(i => new Member($"n{i}", "127.0.0.1", 7000 + i, 6000 + i, HasSeparateClientPort: true)));
        return new Simulation(new ElectionGroup(list, []), T, seed: 3, fastFailover: fastFailover);
    }

    private static TimeSpan KillPrimaryAndElect(Simulation sim)
    {
        Assert.Equal("n1", sim.ElectOrFail());
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim.KillDataNode("n1");
        var killedAt = sim.Now;
        Assert.True(sim.RunUntil(() => sim.Nodes.Any(n => n.Id != "n1" && n.Elector!.Role == Role.Primary), RandomSchedule.LivenessBound));
        return sim.Now - killedAt;
    }

    [Fact]
    public void A_killed_primary_data_node_is_replaced_well_before_down_after()
    {
        var sim = Group();
        var took = KillPrimaryAndElect(sim);
        Assert.True(took < T.DownAfter / 2, $"failover took {took.TotalMilliseconds} ms");
        Assert.True(sim["n1"].Became(ElectorEventKind.DataNodeCertainlyDead));
        Assert.NotEqual(DataNodeIntent.Primary, sim["n1"].Elector!.Intent);
        Assert.Single(sim.Nodes, n => n.Elector!.Role == Role.Primary);
    }

    /// <summary>
    /// Both survivors probe their final offset at once and run in one epoch, each seeing the other's offset
    /// from a heartbeat before the death, lower than its own; the dead member abstains, so neither can win
    /// that epoch. Found by the failover benchmark under writes (3 members: 0.8 to 1.4 s, one election
    /// timeout). Here the survivors' heartbeats to each other are lost for a second of writes before the
    /// kill, so that each sees the other behind. The outranked one stands down, the other runs again one
    /// epoch up at once.
    /// </summary>
    [Fact]
    public void Two_survivors_that_run_at_once_settle_without_an_election_timeout()
    {
        var sim = Group();
        sim.StartDataPlane(TimeSpan.FromSeconds(60), writesUntil: TimeSpan.FromSeconds(60));
        Assert.Equal("n1", sim.ElectOrFail());
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim.LoseHeartbeats("n2", "n3");
        sim.LoseHeartbeats("n3", "n2");
        sim.RunFor(TimeSpan.FromSeconds(1)); // ten writes the survivors do not tell each other about
        sim.HealNetwork(); // the next heartbeats would tell, but the notice and the runs come first
        sim.KillDataNode("n1");
        var killedAt = sim.Now;
        Assert.True(sim.RunUntil(() => sim.Nodes.Any(n => n.Id != "n1" && n.Elector!.Role == Role.Primary), RandomSchedule.LivenessBound));
        var took = sim.Now - killedAt;
        var runs = sim.Nodes.Where(n => n.Id != "n1").Sum(n => n.Events.Count(e => e.Kind == ElectorEventKind.BecameCandidate && e.Epoch > 2));
        Assert.True(runs >= 2, $"both survivors should have run at once (the case under test); {runs} run(s)");
        Assert.True(took < T.ElectionTimeout, $"failover took {took.TotalMilliseconds} ms");
        Assert.DoesNotContain(sim.Nodes, n => n.Events.Any(e => e.Kind == ElectorEventKind.CandidacyTimedOut && e.Epoch > 2));
    }

    [Fact]
    public void Without_fast_failover_a_killed_primary_data_node_waits_down_after()
    {
        var sim = Group(fastFailover: false);
        var took = KillPrimaryAndElect(sim);
        Assert.True(took >= T.DownAfter - T.HeartbeatInterval, $"failover took {took.TotalMilliseconds} ms");
        Assert.False(sim["n2"].Became(ElectorEventKind.PeerCertainlyDead));
    }

    [Fact]
    public void A_killed_primary_data_node_that_restarts_follows_the_successor()
    {
        var sim = Group();
        KillPrimaryAndElect(sim);
        var successor = sim.Nodes.Single(n => n.Elector!.Role == Role.Primary).Id;
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim.RestartDataNode("n1");
        sim.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal(successor, sim["n1"].Data.ReplicaOf);
        Assert.Equal(successor, sim.AgreedPrimary());
        Assert.Single(sim["n1"].Events, e => e.Kind == ElectorEventKind.BecamePrimary);
    }

    [Fact]
    public void A_dead_primary_renounces_before_its_notice_leaves_and_tells_once_per_death()
    {
        var h = new ElectorHarness("n1", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Advance(T.DownAfter);
        h.Receive(ElectionMessage.Accept(6, "n2"));
        Assert.Equal(Role.Primary, h.Elector.Role);
        var fx = h.DataNodeDead();
        Assert.Equal(new CertainDeathNotice("n1", 6, Role.Primary), fx.DeathNotice);
        Assert.Equal(Role.Replica, h.Elector.Role);
        Assert.Null(h.Elector.KnownPrimary);
        Assert.Equal(DataNodeIntent.FencedPrimary, h.Elector.Intent); // a restarted node is fenced until it follows
        Assert.Empty(h.Tick().Sent(Verb.Heartbeat)); // it stops heartbeating as after a failed probe
        Assert.Null(h.DataNodeDead().DeathNotice); // the same death is told once
        h.Observe(); // the data node answers again...
        Assert.NotNull(h.DataNodeDead().DeathNotice); // ...so a new death is told again
    }

    /// <summary>
    /// Soak seeds 3:5036679 and ten more (S7): n2, primary, took write 17 and n3 acknowledged it; n2's data node
    /// died; n1 (offset 16, its view of n3 one heartbeat old) and n3 both ran on the notice, and n2 gave n1 the
    /// winning vote on an offset it had probed before write 17. A member whose data node is certainly dead
    /// knows no final offset: it abstains until the node answers again or down_after of silence has passed.
    /// </summary>
    [Fact]
    public void A_member_whose_data_node_is_certainly_dead_abstains_until_down_after_of_silence()
    {
        var h = new ElectorHarness("n1", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Advance(T.DownAfter);
        h.Receive(ElectionMessage.Accept(6, "n2"));
        Assert.Equal(Role.Primary, h.Elector.Role);
        h.DataNodeDead();

        Assert.Empty(h.Receive(ElectionMessage.Offer(7, "n2", 10)).Sent(Verb.Accept)); // a tie it would have lost
        Assert.Empty(h.Receive(ElectionMessage.Offer(8, "n3", 11)).Sent(Verb.Accept)); // even a higher offset
        for (var waited = TimeSpan.Zero; waited < T.DownAfter; waited += T.HeartbeatInterval)
        {
            h.Wait(T.HeartbeatInterval);
            h.Observe(answered: false);
            h.Tick();
        }
        Assert.Single(h.Receive(ElectionMessage.Offer(9, "n3", 11)).Sent(Verb.Accept)); // silent for down_after: as before

        var back = new ElectorHarness("n1", Members, stored: new DurableRecord(5, null, null), offset: 10);
        back.Advance(T.DownAfter);
        back.DataNodeDead();
        back.Observe(); // the data node answers again: its offset is known
        Assert.Single(back.Receive(ElectionMessage.Offer(20, "n3", 11)).Sent(Verb.Accept));
    }

    [Fact]
    public void A_voter_that_still_hears_the_primary_votes_once_it_is_certainly_dead()
    {
        var h = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Receive(ElectionMessage.Heartbeat(5, "n1", Role.Primary, 10));
        Assert.Empty(h.Receive(ElectionMessage.Offer(6, "n2", 10)).Messages); // sticky primary (rule 2)
        var noticed = h.PeerDied("n1", 5, Role.Primary);
        Assert.True(noticed.Has(ElectorEventKind.PeerCertainlyDead));
        // Not on the offset probed before the notice: writes acknowledged since may be on this node.
        Assert.Empty(noticed.Messages);
        var fx = h.Observe();
        Assert.Equal(new Outbound("n2", ElectionMessage.Accept(6, "n3")), Assert.Single(fx.Messages));
        Assert.Equal(new Vote(6, "n2"), h.Stored!.Vote); // persisted as any vote
    }

    [Fact]
    public void A_voter_that_knows_no_primary_votes_only_on_a_probe_after_a_notice()
    {
        // Soak seed 3:6034191: the voter's storage failed, so it never recorded the primary it replicated
        // from; its probe predated a write it then acknowledged, and its vote elected a member without it.
        var h = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 88);
        h.Receive(ElectionMessage.Heartbeat(5, "n1", Role.Replica, 88));
        Assert.Null(h.Elector.KnownPrimary);
        h.PeerDied("n1", 5, Role.Replica);
        Assert.Empty(h.Receive(ElectionMessage.Offer(6, "n2", 88)).Messages); // not on the probe from before the notice
        h.Offset = 89; // the write the dead node replicated here before it died
        Assert.Empty(h.Observe().Messages); // the OFFER reconsidered on the final probe: 89 beats 88
        Assert.Single(h.Receive(ElectionMessage.Offer(7, "n2", 89)).Sent(Verb.Accept));
    }

    [Fact]
    public void A_voter_that_knows_no_primary_reconsiders_the_offer_on_its_next_probe()
    {
        var h = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 88);
        h.Receive(ElectionMessage.Heartbeat(5, "n1", Role.Replica, 88));
        h.PeerDied("n1", 5, Role.Replica);
        Assert.Empty(h.Receive(ElectionMessage.Offer(6, "n2", 88)).Messages);
        Assert.Equal(new Outbound("n2", ElectionMessage.Accept(6, "n3")), Assert.Single(h.Observe().Messages));
    }

    [Fact]
    public void A_replica_runs_at_once_when_its_primary_is_certainly_dead()
    {
        var h = new ElectorHarness("n2", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Receive(ElectionMessage.Heartbeat(5, "n1", Role.Primary, 10));
        h.Receive(ElectionMessage.Heartbeat(5, "n3", Role.Replica, 10));
        Assert.Empty(h.Advance(TimeSpan.FromSeconds(2)).All(Verb.Offer)); // n1 was heard 2 s ago: up
        Assert.Empty(h.PeerDied("n1", 5, Role.Primary).Sent(Verb.Offer)); // not before its own offset is probed again
        h.Offset = 12; // what replicated before the death, and may be acknowledged
        var fx = h.Observe();
        Assert.Equal(ElectionMessage.Offer(6, "n2", 12), Assert.Single(fx.Sent(Verb.Offer)));
    }

    [Fact]
    public void A_notice_older_than_the_last_frame_heard_from_its_member_is_ignored()
    {
        // Late: n1 died at epoch 5, came back and follows n2 at epoch 6; or a stale activation of n1 at epoch 5.
        var h = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Receive(ElectionMessage.Heartbeat(6, "n1", Role.Primary, 10));
        var fx = h.PeerDied("n1", 5, Role.Primary);
        Assert.True(fx.Has(ElectorEventKind.DeathNoticeIgnored));
        Assert.Empty(h.Receive(ElectionMessage.Offer(7, "n2", 10)).Messages); // n1 is still a live primary here
    }

    [Fact]
    public void A_frame_of_a_later_epoch_ends_a_notice_and_a_notice_lapses_after_down_after()
    {
        var h = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Receive(ElectionMessage.Heartbeat(5, "n1", Role.Primary, 10));
        h.PeerDied("n1", 5, Role.Primary);
        h.Receive(ElectionMessage.Heartbeat(6, "n1", Role.Primary, 10)); // n1 won again since: alive
        Assert.Empty(h.Receive(ElectionMessage.Offer(7, "n2", 10)).Messages);

        var g = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 10);
        g.PeerDied("n1", 5, Role.Primary);
        g.Wait(T.DownAfter);
        g.Receive(ElectionMessage.Heartbeat(5, "n1", Role.Primary, 10)); // heard after the notice lapsed: timeouts rule again
        Assert.Empty(g.Receive(ElectionMessage.Offer(6, "n2", 10)).Messages);
    }

    [Fact]
    public void A_vote_of_the_dead_member_does_not_end_its_notice()
    {
        // Found end to end: the dead primary's member still votes (its data node is dead, the member is not);
        // its ACCEPT of a later epoch ended the notice, and the group waited down_after after all.
        var h = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Receive(ElectionMessage.Heartbeat(5, "n1", Role.Primary, 10));
        h.Receive(ElectionMessage.Heartbeat(5, "n2", Role.Replica, 10)); // n2 wins the tie: n3 does not run itself
        h.PeerDied("n1", 5, Role.Primary);
        h.Observe();
        h.Receive(ElectionMessage.Accept(6, "n1")); // n1 voted in some epoch-6 candidacy meanwhile
        h.Receive(ElectionMessage.Heartbeat(5, "n1", Role.Primary, 10)); // and an old heartbeat arrives late
        Assert.Single(h.Receive(ElectionMessage.Offer(7, "n2", 10)).Sent(Verb.Accept));
    }

    [Fact]
    public void With_fast_failover_off_no_notice_is_sent_or_taken()
    {
        var h = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 10, fastFailover: false);
        Assert.Null(h.DataNodeDead().DeathNotice);
        h.Receive(ElectionMessage.Heartbeat(5, "n1", Role.Primary, 10));
        Assert.True(h.PeerDied("n1", 5, Role.Primary).Has(ElectorEventKind.DeathNoticeIgnored));
        Assert.Empty(h.Receive(ElectionMessage.Offer(6, "n2", 10)).Messages);
    }
}
