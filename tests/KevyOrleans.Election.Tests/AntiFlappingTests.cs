using KevyOrleans.Election.Tests.Simulated;
using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// Anti-flapping (issue 15, item 3): MinimumTimeBetweenFailovers holds an automatic failover that comes too
/// soon after the last one; certain death and planned switchovers are not held; the first election starts no clock.
/// </summary>
public sealed class AntiFlappingTests
{
    private static readonly ElectionTimings T = ElectionTimings.Default;
    private static readonly TimeSpan Hold = 3 * T.DownAfter;

    /// <summary>n1 wins the cold start; its process crashes; another member wins after down_after. Returns when that one won.</summary>
    private static (string Primary, TimeSpan At) FirstFailover(Simulation sim)
    {
        Assert.Equal("n1", sim.ElectOrFail());
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim.Crash("n1");
        Assert.True(sim.RunUntil(() => sim.Nodes.Any(n => n.IsRunning && n.Elector!.Role == Role.Primary), RandomSchedule.LivenessBound));
        return (sim.Nodes.Single(n => n.IsRunning && n.Elector!.Role == Role.Primary).Id, sim.Now);
    }

    private static bool SomeoneElse(Simulation sim, string old) =>
        sim.Nodes.Any(n => n.IsRunning && n.Id != old && n.Elector!.Role == Role.Primary);

    [Fact]
    public void The_first_election_starts_no_clock_so_the_first_failover_waits_down_after_only()
    {
        var sim = SimulationExtensions.GroupHoldingFailovers("n1,n2,n3", Hold);
        Assert.Equal("n1", sim.ElectOrFail());
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim.Crash("n1");
        var crashed = sim.Now;
        Assert.True(sim.RunUntil(() => SomeoneElse(sim, "n1"), RandomSchedule.LivenessBound));
        Assert.True(sim.Now - crashed < Hold, $"took {(sim.Now - crashed).TotalMilliseconds} ms: the cold start is no failover");
        Assert.DoesNotContain(sim.Nodes, n => n.Became(ElectorEventKind.FailoverHeld));
    }

    [Fact]
    public void A_second_failover_sooner_than_the_minimum_is_held_logged_once_then_runs()
    {
        var sim = SimulationExtensions.GroupHoldingFailovers("n1,n2,n3", Hold);
        var (second, at) = FirstFailover(sim);
        sim.Restart("n1"); // a majority without the next primary to crash
        sim.RunFor(TimeSpan.FromSeconds(1));
        var runsBefore = sim.Nodes.Sum(n => n.Events.Count(e => e.Kind == ElectorEventKind.BecameCandidate));
        sim.Crash(second);

        // down_after (and an election timeout) pass long before the hold ends: nobody even runs.
        sim.RunFor(T.DownAfter + T.ElectionTimeout);
        Assert.False(SomeoneElse(sim, second));
        Assert.Equal(runsBefore, sim.Nodes.Sum(n => n.Events.Count(e => e.Kind == ElectorEventKind.BecameCandidate)));
        var held = sim.Nodes.Where(n => n.IsRunning).SelectMany(n => n.Events).Where(e => e.Kind == ElectorEventKind.FailoverHeld).ToList();
        Assert.NotEmpty(held);
        Assert.True(held.Count <= 2, "one notice per member and episode, not one per tick");
        Assert.Contains("MinimumTimeBetweenFailovers", held[0].Detail, StringComparison.Ordinal);

        // Once the hold is over the group fails over as usual.
        Assert.True(sim.RunUntil(() => SomeoneElse(sim, second), Hold + RandomSchedule.LivenessBound), string.Join("; ", sim.Nodes));
        Assert.True(sim.Now - at >= Hold - T.HeartbeatInterval, $"failed over {(sim.Now - at).TotalMilliseconds} ms after the last one");
    }

    [Fact]
    public void A_primary_whose_data_node_is_certainly_dead_is_replaced_at_once_even_within_the_hold()
    {
        var sim = SimulationExtensions.GroupHoldingFailovers("n1,n2,n3", Hold);
        var (second, _) = FirstFailover(sim);
        sim.Restart("n1");
        sim.RunFor(TimeSpan.FromSeconds(2));
        sim.KillDataNode(second);
        var killed = sim.Now;
        Assert.True(sim.RunUntil(() => SomeoneElse(sim, second), RandomSchedule.LivenessBound));
        Assert.True(sim.Now - killed < T.DownAfter, $"took {(sim.Now - killed).TotalMilliseconds} ms: rule 14 is not held");
    }

    [Fact]
    public void A_planned_switchover_is_not_held_and_starts_no_clock()
    {
        var sim = SimulationExtensions.GroupHoldingFailovers("n1,n2,n3", Hold);
        var (second, _) = FirstFailover(sim);
        sim.Restart("n1");
        sim.RunFor(TimeSpan.FromSeconds(2));
        var target = second == "n2" ? "n3" : "n2";
        var planned = sim.Now;
        sim.PlanHandover(target, TimeSpan.FromSeconds(5));
        Assert.True(sim.RunUntil(() => sim.AgreedPrimary() == target, TimeSpan.FromSeconds(5)), string.Join("; ", sim.Nodes));
        Assert.True(sim.Now - planned < T.DownAfter);

        // The switchover moved no clock: a crash of its target, past the hold of the failover before it,
        // fails over after down_after.
        sim.RunUntil(planned + Hold);
        sim.Crash(target);
        var crashed = sim.Now;
        Assert.True(sim.RunUntil(() => SomeoneElse(sim, target), RandomSchedule.LivenessBound));
        Assert.True(sim.Now - crashed < Hold);
        Assert.DoesNotContain(sim.Nodes, n => n.Became(ElectorEventKind.FailoverHeld));
    }

    [Fact]
    public void Zero_holds_nothing_and_a_negative_time_is_refused()
    {
        var sim = SimulationExtensions.GroupHoldingFailovers("n1,n2,n3,n4,n5", TimeSpan.Zero);
        var (second, _) = FirstFailover(sim);
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim.Crash(second);
        var crashed = sim.Now;
        Assert.True(sim.RunUntil(() => SomeoneElse(sim, second), RandomSchedule.LivenessBound));
        Assert.True(sim.Now - crashed < Hold);

        var group = new ElectionGroup(MemberList.Parse("n1@h:7001:6001,n2@h:7002:6002"), []);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ElectorConfig("n1", group) { MinimumTimeBetweenFailovers = TimeSpan.FromSeconds(-1) });
        Assert.Contains("zero (no hold) or more", error.Message, StringComparison.Ordinal);
    }
}
