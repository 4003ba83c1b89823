using KevyOrleans.Cluster.Tests.Support;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;

namespace KevyOrleans.Cluster.Tests;

public sealed class PauseClusterFixture() : KevyClusterFixture(VoteStore.File)
{
    protected override IReadOnlyList<(string Name, int Size)> Groups => [("paused", 3), ("expiring", 3)];
}

/// <summary>
/// Maintenance mode on a real 3-silo cluster: the pause reaches every hosted member wherever it runs,
/// holds the election while the primary's data node is dead, and resuming (or the expiry) lets it happen.
/// </summary>
public sealed class PauseClusterTests(PauseClusterFixture cluster) : IClassFixture<PauseClusterFixture>
{
    private const int Size = 3;

    /// <summary>Long past down_after (1 s): an unpaused group elects well inside this.</summary>
    private static readonly TimeSpan Held = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_paused_group_does_not_elect_when_its_primary_dies_and_elects_once_resumed()
    {
        var first = await cluster.WaitForOnePrimary("paused", Size);
        var pause = await cluster.GroupGrain("paused").Pause(null);
        Assert.Null(pause.Until);
        var pausedAt = await WaitForAllMembers("paused", paused: true);
        Assert.NotNull((await cluster.GroupGrain("paused").GetStatus()).Pause);

        var dead = ScriptedDataNodes.Get(cluster.Group("paused"), first.Member);
        var survivors = Enumerable.Range(1, Size).Select(i => $"n{i}").Where(n => n != first.Member).ToList();
        var commands = survivors.ToDictionary(s => s, s => ScriptedDataNodes.Get(cluster.Group("paused"), s).Commands.Count);
        dead.Alive = false;
        try
        {
            await Task.Delay(Held);
            var held = await cluster.Snapshots("paused", Size);
            Assert.All(held.Where(s => survivors.Contains(s.Member)), s =>
            {
                Assert.NotEqual(Role.Primary, s.Role);
                Assert.Equal(pausedAt[s.Member], s.Epoch); // nobody ran: a candidacy would have raised the epoch
                Assert.NotNull(s.Pause);
            });
            Assert.All(survivors, s => Assert.Equal(commands[s], ScriptedDataNodes.Get(cluster.Group("paused"), s).Commands.Count)); // nothing driven

            await cluster.GroupGrain("paused").Resume();
            var second = await cluster.WaitForOnePrimary("paused", Size, survivors);
            Assert.True(second.Epoch > first.Epoch);
            Assert.Null((await cluster.GroupGrain("paused").GetStatus()).Pause);
        }
        finally
        {
            dead.Alive = true;
        }
    }

    [Fact]
    public async Task A_pause_with_an_expiry_ends_by_itself_and_the_election_follows()
    {
        var first = await cluster.WaitForOnePrimary("expiring", Size);
        // Generous: the checks below must run inside it even on a loaded machine.
        var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(12);
        await cluster.GroupGrain("expiring").Pause(until);
        var pausedAt = await WaitForAllMembers("expiring", paused: true);

        var dead = ScriptedDataNodes.Get(cluster.Group("expiring"), first.Member);
        var survivors = Enumerable.Range(1, Size).Select(i => $"n{i}").Where(n => n != first.Member).ToList();
        dead.Alive = false;
        try
        {
            await Task.Delay(Held);
            var held = await cluster.Snapshots("expiring", Size);
            if (DateTimeOffset.UtcNow < until)
            {
                Assert.DoesNotContain(held, s => survivors.Contains(s.Member) && (s.Role == Role.Primary || s.Epoch != pausedAt[s.Member]));
            }

            var second = await cluster.WaitForOnePrimary("expiring", Size, survivors, TimeSpan.FromSeconds(60));
            Assert.True(second.Epoch > first.Epoch);
            var won = (await cluster.HistoryWith("expiring", second.Epoch)).Single(h => h.Epoch == second.Epoch);
            Assert.True(won.At >= until, $"elected at {won.At:O}, before the pause ran out at {until:O}");
            Assert.Null(await cluster.GroupGrain("expiring").GetPause());
        }
        finally
        {
            dead.Alive = true;
        }
    }

    /// <summary>
    /// Every hosted member, on whichever silo it runs, reports the pause (pushed one-way by the group grain);
    /// returns each member's epoch then (a candidacy lost at the cold start may have left one above the primary's).
    /// </summary>
    private async Task<Dictionary<string, ulong>> WaitForAllMembers(string group, bool paused)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var all = await cluster.Snapshots(group, Size);
            if (all.Count == Size && all.All(s => (s.Pause is not null) == paused))
            {
                return all.ToDictionary(s => s.Member, s => s.Epoch);
            }
            Assert.True(DateTime.UtcNow < deadline, $"members of {group} did not all learn paused={paused}: " +
                string.Join("; ", all.Select(s => $"{s.Member} on {s.Silo}: {(s.Pause is null ? "running" : "paused")}")));
            await Task.Delay(50);
        }
    }
}
