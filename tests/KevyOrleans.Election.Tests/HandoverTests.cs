using KevyOrleans.Election.Tests.Simulated;
using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>Planned switchover on a simulated network; the safety checker watches every step.</summary>
public sealed class HandoverTests
{
    private static readonly ElectionTimings T = ElectionTimings.Default;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    [Fact]
    public void Handover_to_the_highest_id_elects_it_in_a_new_epoch_without_waiting_for_down_after()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        sim.RunFor(TimeSpan.FromSeconds(1));
        var epoch = sim["n1"].Elector!.Epoch;
        var planned = sim.Now;

        sim.PlanHandover("n3", Window);

        Assert.True(sim.RunUntil(() => sim.AgreedPrimary() == "n3", Window), string.Join("; ", sim.Nodes));
        Assert.True(sim.Now - planned < T.DownAfter, $"took {(sim.Now - planned).TotalMilliseconds} ms: a handover must not wait for down_after");
        Assert.Equal(epoch + 1, sim["n3"].Elector!.Epoch);
        // The old primary fenced first, stepped down, and follows the target (the Follow lifts its fence).
        var n1 = sim["n1"].Actions.SkipWhile(a => a.Kind != DataNodeActionKind.Fence).ToList();
        Assert.Equal(DataNodeActionKind.Fence, n1[0].Kind);
        Assert.Equal(DataNodeAction.Follow("n3", "127.0.0.1:6003"), n1[^1]);
        Assert.DoesNotContain(n1, a => a.Kind == DataNodeActionKind.Unfence);
        Assert.Contains(sim["n2"].Actions, a => a == DataNodeAction.Follow("n3", "127.0.0.1:6003"));
        Assert.All(sim.Nodes, n => Assert.Null(n.Elector!.Handover));
        Assert.Equal(DataNodeIntent.Replica, sim["n1"].Elector!.GetStatus(sim.Now).Intent);
    }

    [Fact]
    public void The_primary_steps_down_only_once_the_target_reached_its_offset()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        sim["n1"].DataOffset = 1000; // the target lags behind
        sim["n3"].DataOffset = 400;
        sim.PlanHandover("n3", Window);
        sim.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal(Role.Primary, sim["n1"].Elector!.Role);
        Assert.Equal(DataNodeIntent.FencedPrimary, sim["n1"].Elector!.GetStatus(sim.Now).Intent); // fenced while it waits

        sim["n3"].DataOffset = 1000; // caught up
        Assert.True(sim.RunUntil(() => sim.AgreedPrimary() == "n3", Window), string.Join("; ", sim.Nodes));
        Assert.True(sim["n3"].DataOffset >= 1000);
    }

    [Fact]
    public void A_target_that_never_catches_up_lets_the_plan_lapse_and_the_primary_unfences_in_its_epoch()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        var epoch = sim["n1"].Elector!.Epoch;
        sim["n1"].DataOffset = 1000;
        sim["n3"].DataOffset = 10;
        sim.PlanHandover("n3", TimeSpan.FromSeconds(2));
        sim.RunFor(TimeSpan.FromSeconds(3));

        Assert.Equal("n1", sim.AgreedPrimary());
        Assert.Equal(epoch, sim["n1"].Elector!.Epoch);
        Assert.Equal(DataNodeActionKind.Unfence, sim["n1"].Actions[^1].Kind);
        Assert.Contains(sim["n1"].Events, e => e.Kind == ElectorEventKind.HandoverAbandoned);
        Assert.All(sim.Nodes, n => Assert.Null(n.Elector!.Handover));
    }

    [Fact]
    public void While_a_plan_is_active_no_other_member_runs_even_when_the_primary_dies()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        sim.PlanHandover("n3", TimeSpan.FromSeconds(8));
        sim.Crash("n3"); // the target is gone too
        sim.Crash("n1");
        sim.RunFor(TimeSpan.FromSeconds(7));
        Assert.DoesNotContain(sim["n2"].Events, e => e.Kind == ElectorEventKind.BecameCandidate && e.Epoch > 2);
        // Once the plan lapses, the election carries on as usual.
        sim.Restart("n3");
        Assert.NotNull(sim.ElectOrFail());
    }

    [Fact]
    public void Hosted_voters_break_an_offset_tie_in_the_targets_favour_but_never_vote_for_a_lagging_target()
    {
        var voter = new ElectorHarness("n1", "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003", offset: 50);
        voter.PlanHandover("n3", TimeSpan.FromSeconds(20));
        voter.Advance(T.DownAfter + T.HeartbeatInterval); // cold-start grace over: n1 would run, but the plan holds it
        Assert.Equal(Role.Replica, voter.Elector.Role);

        var lagging = voter.Receive(ElectionMessage.Offer(2, "n3", 49));
        Assert.Empty(lagging.Messages);
        var tie = voter.Receive(ElectionMessage.Offer(3, "n3", 50));
        Assert.Equal(ElectionMessage.Accept(3, "n1"), Assert.Single(tie.Messages).Message);
    }

    /// <summary>
    /// Soak seed 3:4024623 (S6): n1 won epoch 2 with n3's vote, then a partition kept its win from n2 and
    /// n3. A plan to n2 came; n1's fence failed, so n1 stayed primary on its lease, while n2, which knew no
    /// primary, took the plan as "the primary is gone", ran at once and won epoch 3 with n3: two writable
    /// primaries for 400 ms. A plan speeds up only a target that saw the primary it followed step down.
    /// </summary>
    [Fact]
    public void A_target_that_knows_no_primary_gains_nothing_from_a_plan_while_an_unseen_winner_may_hold_its_lease()
    {
        var n2 = new ElectorHarness("n2", "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003", offset: 20);
        for (var elapsed = TimeSpan.Zero; elapsed < T.DownAfter; elapsed += T.HeartbeatInterval)
        {
            n2.Receive(ElectionMessage.Heartbeat(1, "n1", Role.Replica, 20));
            n2.Receive(ElectionMessage.Heartbeat(1, "n3", Role.Replica, 20));
            n2.Advance(T.HeartbeatInterval);
        }
        // n1 runs after its cold-start grace and n2 votes; nothing from n1 reaches n2 after that.
        Assert.Single(n2.Receive(ElectionMessage.Offer(2, "n1", 20)).Sent(Verb.Accept));
        Assert.Null(n2.Elector.KnownPrimary);

        var planned = n2.PlanHandover("n2", Window);
        var after = new List<Effects> { planned };
        for (var elapsed = TimeSpan.Zero; elapsed < T.DownAfter - (2 * T.HeartbeatInterval); elapsed += T.HeartbeatInterval)
        {
            after.Add(n2.Receive(ElectionMessage.Heartbeat(2, "n3", Role.Replica, 20)));
            after.AddRange(n2.Advance(T.HeartbeatInterval));
        }
        Assert.Empty(after.All(Verb.Offer)); // n1 was heard (its OFFER) within down_after and wins the tie
        Assert.Equal(Role.Replica, n2.Elector.Role);
    }
}
