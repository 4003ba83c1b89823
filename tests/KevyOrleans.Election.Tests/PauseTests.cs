using KevyOrleans.Election.Tests.Simulated;
using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// Maintenance mode (<see cref="Elector.SetPaused"/>): a paused member never starts a candidacy and
/// asks its data node for nothing, yet still heartbeats and votes; on resume it acts on what is true then.
/// </summary>
public sealed class PauseTests
{
    private static readonly ElectionTimings T = ElectionTimings.Default;
    private const string Members = "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003";

    private static void Pause(Simulation sim, bool paused, params string[] ids)
    {
        foreach (var id in ids)
        {
            sim[id].Elector!.SetPaused(paused);
        }
    }

    [Fact]
    public void A_paused_group_elects_nobody_when_its_primary_dies_and_elects_at_once_on_resume()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        sim.RunFor(TimeSpan.FromSeconds(1));
        Pause(sim, true, "n1", "n2", "n3");
        var eventsBefore = new[] { sim["n2"].Events.Count, sim["n3"].Events.Count };
        var actionsBefore = sim["n2"].Actions.Count + sim["n3"].Actions.Count;

        sim.Crash("n1");
        sim.RunFor(4 * T.DownAfter); // long past down_after: an unpaused group would have elected
        var sincePause = sim["n2"].Events.Skip(eventsBefore[0]).Concat(sim["n3"].Events.Skip(eventsBefore[1])).ToList();
        Assert.DoesNotContain(sincePause, e => e.Kind is ElectorEventKind.BecameCandidate or ElectorEventKind.BecamePrimary);
        Assert.Equal(actionsBefore, sim["n2"].Actions.Count + sim["n3"].Actions.Count); // nothing asked of the data nodes
        Assert.All(new[] { "n2", "n3" }, id => Assert.Equal(Role.Replica, sim[id].Elector!.Role));

        Pause(sim, false, "n2", "n3");
        Assert.True(sim.RunUntil(() => sim["n2"].Elector!.Role == Role.Primary, T.HeartbeatInterval * 3 + T.ElectionTimeout),
            "the primary was long down: the best replica runs at its next tick after the resume");
        Assert.Contains(sim["n2"].Actions, a => a.Kind == DataNodeActionKind.Promote);
    }

    [Fact]
    public void A_paused_member_still_heartbeats_and_votes()
    {
        var h = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Elector.SetPaused(true);
        Assert.True(h.Elector.IsPaused);

        var ticks = h.Advance(T.HeartbeatInterval * 3);
        Assert.NotEmpty(ticks.SelectMany(e => e.Sent(Verb.Heartbeat)));

        var fx = h.Receive(ElectionMessage.Offer(6, "n1", 10));
        Assert.Equal(new Outbound("n1", ElectionMessage.Accept(6, "n3")), Assert.Single(fx.Messages));
        Assert.Equal(new DurableRecord(6, new Vote(6, "n1"), null), h.Stored); // the vote is as durable as ever
    }

    [Fact]
    public void A_paused_member_never_runs_even_as_the_best_candidate_with_no_primary()
    {
        var h = new ElectorHarness("n1", Members, offset: 10);
        h.Elector.SetPaused(true);
        var all = h.Advance(T.DownAfter * 3);
        Assert.Empty(all.SelectMany(e => e.Sent(Verb.Offer)));
        Assert.Equal(Role.Replica, h.Elector.Role);

        h.Elector.SetPaused(false);
        var resumed = h.Advance(T.HeartbeatInterval);
        Assert.Single(resumed.SelectMany(e => e.Sent(Verb.Offer))); // cold-start grace long over: it runs at once
    }

    [Fact]
    public void Pausing_a_candidate_abandons_its_run_so_a_late_majority_makes_no_primary()
    {
        var h = new ElectorHarness("n1", Members, offset: 10);
        h.Advance(T.DownAfter + T.HeartbeatInterval);
        Assert.Equal(Role.Candidate, h.Elector.Role);
        var epoch = h.Elector.Epoch;

        h.Elector.SetPaused(true);
        Assert.Equal(Role.Replica, h.Elector.Role);
        var fx = h.Receive(ElectionMessage.Accept(epoch, "n2"));
        Assert.Empty(fx.Sent(Verb.Announce));
        Assert.Empty(fx.Actions);
        Assert.NotEqual(Role.Primary, h.Elector.Role);
    }

    [Fact]
    public void A_paused_replica_learns_a_new_primary_but_drives_nothing_until_resumed()
    {
        var h = new ElectorHarness("n3", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Elector.SetPaused(true);
        // External kevy members keep their own rules: n1 is elected among them and announces.
        h.Receive(ElectionMessage.Offer(6, "n1", 10));
        var fx = h.Receive(ElectionMessage.Announce(6, "n1", "h:6001"));
        Assert.Empty(fx.Actions); // no REPLICAOF while paused
        Assert.Equal("n1", h.Elector.KnownPrimary);
        Assert.Equal(DataNodeIntent.Held, h.Elector.Intent);

        h.Elector.SetPaused(false);
        Assert.Equal(DataNodeIntent.Replica, h.Elector.Intent); // the host's reconciliation makes it follow n1 now
    }

    [Fact]
    public void A_paused_primary_ignores_a_switchover_plan()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        Pause(sim, true, "n1", "n2", "n3");
        var actions = sim["n1"].Actions.Count;
        var batch = sim["n1"].Elector!.PlanHandover("n2", TimeSpan.FromSeconds(10), sim["n1"].Local(sim.Now));
        Assert.Null(batch.RecordToCommit);
        Assert.True(batch.Release().IsEmpty);
        Assert.Null(sim["n1"].Elector!.Handover);
        sim.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(actions, sim["n1"].Actions.Count); // no fence for the plan
        Assert.Equal(Role.Primary, sim["n1"].Elector!.Role);
    }
}
