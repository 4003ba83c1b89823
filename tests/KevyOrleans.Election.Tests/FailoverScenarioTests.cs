using KevyOrleans.Election.Tests.Simulated;
using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>Named whole-group scenarios on a perfect simulated network, one per protocol rule.</summary>
public sealed class FailoverScenarioTests
{
    private static readonly ElectionTimings T = ElectionTimings.Default;

    [Fact]
    public void Cold_start_elects_the_lowest_id_after_the_grace_window()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        sim.RunFor(T.DownAfter - TimeSpan.FromMilliseconds(50));
        Assert.Empty(sim.PrimariesEver()); // nobody runs inside the cold-start grace
        Assert.Equal("n1", sim.ElectOrFail());
        Assert.Single(sim.PrimariesEver());
        Assert.Contains(sim["n2"].Actions, a => a.Kind == DataNodeActionKind.Follow && a.PrimaryId == "n1" && a.PrimaryAddress == "127.0.0.1:6001");
        Assert.Contains(sim["n1"].Actions, a => a.Kind == DataNodeActionKind.Promote);
    }

    [Fact]
    public void Primary_death_elects_the_best_replica_right_at_down_after()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        sim.ElectOrFail();
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim.Crash("n1");
        var crashedAt = sim.Now;
        Assert.Equal("n2", sim.ElectOrFail());
        var candidacy = sim["n2"].Events.Last(e => e.Kind == ElectorEventKind.BecameCandidate);
        Assert.Equal(3UL, candidacy.Epoch); // the cold start used epoch 2
        // Rule 4: DOWN is detected at down_after after the last frame, not at the next tick.
        Assert.True(sim.Now - crashedAt < T.DownAfter + T.HeartbeatInterval, $"failover took {(sim.Now - crashedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public void A_dead_data_node_silences_its_member_at_the_first_failed_probe_so_failover_takes_one_down_after()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim["n1"].DataNodeUp = false; // the member runs on; its data node is gone
        var diedAt = sim.Now;
        Assert.True(sim.RunUntil(() => sim["n2"].Elector!.Role == Role.Primary, RandomSchedule.LivenessBound));
        var took = sim.Now - diedAt;
        // One hb for the failing probe, down_after of silence; not down_after of silence and then another.
        Assert.True(took < T.DownAfter + 2 * T.HeartbeatInterval, $"failover took {took.TotalMilliseconds} ms");
    }

    [Fact]
    public void Better_offset_wins_over_lower_id()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        sim["n1"].DataOffset = 100;
        sim["n2"].DataOffset = 100;
        sim["n3"].DataOffset = 900;
        Assert.Equal("n3", sim.ElectOrFail());
        sim.Crash("n3");
        sim["n2"].DataOffset = 500;
        Assert.Equal("n2", sim.ElectOrFail());
    }

    [Fact]
    public void Dueling_candidates_with_equal_offsets_end_with_the_lowest_id()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        sim["n3"].DataOffset = 10;
        Assert.Equal("n3", sim.ElectOrFail());
        // n2 cannot hear n1, so it believes itself the best candidate too: both run for the same epoch.
        sim.BlockLink("n1", "n2");
        sim.Crash("n3");
        Assert.True(sim.RunUntil(() => sim["n1"].Became(ElectorEventKind.BecameCandidate) && sim["n2"].Became(ElectorEventKind.BecameCandidate), T.DownAfter * 2));
        Assert.Null(sim.AgreedPrimary());
        sim.RunFor(T.ElectionTimeout);
        sim.HealNetwork();
        Assert.Equal("n1", sim.ElectOrFail());
        Assert.DoesNotContain("n2", sim.PrimariesEver());
    }

    [Fact]
    public void Old_primary_rejoins_and_steps_down_on_the_higher_epoch()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        sim.Partition(["n1"]);
        Assert.True(sim.RunUntil(() => sim["n2"].Elector!.Role == Role.Primary, RandomSchedule.LivenessBound));
        Assert.Equal(Role.Primary, sim["n1"].Elector!.Role); // still thinks so, but fenced
        sim.HealNetwork();
        Assert.Equal("n2", sim.ElectOrFail(TimeSpan.FromSeconds(1)));
        Assert.Contains(sim["n1"].Events, e => e.Kind == ElectorEventKind.SteppedDown);
        Assert.Equal(DataNodeActionKind.Follow, sim["n1"].Actions[^1].Kind);
        Assert.Equal("n2", sim["n1"].Actions[^1].PrimaryId);
    }

    [Fact]
    public void Minority_partition_cannot_elect()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3,n4,n5");
        sim["n4"].DataOffset = 50;
        sim["n5"].DataOffset = 50;
        Assert.Equal("n4", sim.ElectOrFail());
        sim.Partition(["n1", "n2"]);
        sim.RunFor(TimeSpan.FromSeconds(30));
        Assert.True(sim["n1"].Became(ElectorEventKind.BecameCandidate) || sim["n2"].Became(ElectorEventKind.BecameCandidate),
            "the minority should have tried");
        Assert.Equal(["n4"], sim.PrimariesEver());
    }

    [Fact]
    public void Two_members_need_both()
    {
        var sim = SimulationExtensions.Group("n1,n2");
        Assert.Equal("n1", sim.ElectOrFail());
        sim.Crash("n1");
        sim.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(["n1"], sim.PrimariesEver());
        Assert.True(sim["n2"].Became(ElectorEventKind.CandidacyTimedOut));
        sim.Restart("n1");
        Assert.NotNull(sim.ElectOrFail());
    }

    [Fact]
    public void Sticky_primary_refuses_a_flaky_candidate()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        sim["n3"].DataOffset = 0;
        Assert.Equal("n1", sim.ElectOrFail());
        sim["n3"].DataOffset = 1_000; // n3 would be the best candidate...
        sim.BlockLink("n1", "n3");     // ...and it no longer hears the primary
        var votesBefore = sim["n2"].Events.Count(e => e.Kind == ElectorEventKind.VoteCast);
        sim.RunFor(TimeSpan.FromSeconds(30));
        Assert.True(sim["n3"].Became(ElectorEventKind.BecameCandidate), "n3 should have run");
        Assert.Equal(["n1"], sim.PrimariesEver());
        Assert.Equal(Role.Primary, sim["n1"].Elector!.Role);
        Assert.Equal(votesBefore, sim["n2"].Events.Count(e => e.Kind == ElectorEventKind.VoteCast));
    }

    [Fact]
    public void Witness_never_runs_but_its_vote_elects()
    {
        var sim = SimulationExtensions.Group("n1,n2,w3", witnesses: "w3");
        Assert.Equal("n1", sim.ElectOrFail());
        sim.Crash("n1");
        Assert.Equal("n2", sim.ElectOrFail());
        Assert.Contains(sim["w3"].Events, e => e.Kind == ElectorEventKind.VoteCast && e.Member == "n2");
        sim.Crash("n2");
        sim.RunFor(TimeSpan.FromSeconds(30));
        Assert.False(sim["w3"].Became(ElectorEventKind.BecameCandidate));
        Assert.Empty(sim["w3"].Actions); // no data node to drive
    }

    [Fact]
    public void Primary_that_loses_its_majority_fences_before_a_successor_exists_and_unfences_when_it_returns()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        sim.Partition(["n1"]);
        var cut = sim.Now;
        Assert.True(sim.RunUntil(() => sim["n1"].Actions[^1].Kind == DataNodeActionKind.Fence, T.DownAfter));
        var fencedAfter = sim.Now - cut;
        Assert.True(sim.RunUntil(() => sim["n2"].Elector!.Role == Role.Primary, RandomSchedule.LivenessBound));
        var successorAfter = sim.Now - cut;
        Assert.True(fencedAfter < successorAfter, $"fenced after {fencedAfter.TotalMilliseconds} ms, successor after {successorAfter.TotalMilliseconds} ms");
        Assert.True(fencedAfter <= T.LeaseWindow + T.HeartbeatInterval);

        // Majority back without a successor: the fence lifts.
        var sim2 = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim2.ElectOrFail());
        sim2.BlockLink("n2", "n1");
        sim2.BlockLink("n3", "n1");
        Assert.True(sim2.RunUntil(() => sim2["n1"].Actions[^1].Kind == DataNodeActionKind.Fence, T.DownAfter));
        sim2.HealNetwork();
        Assert.True(sim2.RunUntil(() => sim2["n1"].Actions[^1].Kind == DataNodeActionKind.Unfence, TimeSpan.FromSeconds(1)));
        Assert.Equal("n1", sim2.AgreedPrimary());
    }

    [Fact]
    public void A_primary_restarted_within_down_after_resumes_its_epoch_and_the_group_keeps_it()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        var epoch = sim["n1"].Elector!.Epoch;
        sim.Crash("n1");
        sim.Restart("n1"); // back before anyone noticed: it resumes, fenced until its majority hears it
        Assert.Equal(DataNodeIntent.FencedPrimary, sim["n1"].Elector!.Intent);
        Assert.True(sim.RunUntil(() => sim["n1"].Elector!.Intent == DataNodeIntent.Primary, TimeSpan.FromSeconds(1)));
        sim.RunFor(sim.Timings.DownAfter * 2);
        Assert.Equal("n1", sim.AgreedPrimary());
        Assert.All(["n1", "n2", "n3"], m => Assert.Equal(epoch, sim[m].Elector!.Epoch)); // no election
        Assert.DoesNotContain(sim["n2"].Events, e => e.Kind == ElectorEventKind.PrimaryLost);
    }

    [Fact]
    public void A_group_of_one_elects_itself_after_the_grace_window()
    {
        var sim = SimulationExtensions.Group("solo");
        Assert.Equal("solo", sim.ElectOrFail());
    }

    [Fact]
    public void Silent_data_node_stops_heartbeats_and_the_group_fails_over()
    {
        var sim = SimulationExtensions.Group("n1,n2,n3");
        Assert.Equal("n1", sim.ElectOrFail());
        sim["n1"].DataNodeUp = false;
        Assert.True(sim.RunUntil(() => sim["n2"].Elector!.Role == Role.Primary, RandomSchedule.LivenessBound));
        Assert.Equal(["n1", "n2"], sim.PrimariesEver().Order());
    }
}
