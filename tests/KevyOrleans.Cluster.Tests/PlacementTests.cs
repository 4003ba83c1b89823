using KevyOrleans.Abstractions;
using KevyOrleans.Cluster.Tests.Support;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;
using Xunit.Abstractions;

namespace KevyOrleans.Cluster.Tests;

public sealed class PlacementFixture : KevyClusterFixture
{
    public PlacementFixture() : base(VoteStore.File)
    {
    }

    protected override IReadOnlyList<(string Name, int Size)> Groups => [("spread", 3), ("other", 3)];

    // One silo first: every member starts on it, so spreading is the rebalancing's doing.
    protected override short InitialSilos => 1;

    // A planned move must cost no election, so down_after is long enough that only a missed move (not a
    // slow machine) could let a member look DOWN.
    public override int DownAfterMs => 2000;
}

/// <summary>Members of a group end up on distinct silos as silos join, by planned moves that cost no election.</summary>
public sealed class PlacementTests(PlacementFixture cluster, ITestOutputHelper output) : IClassFixture<PlacementFixture>
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];

    [Fact]
    public async Task Members_spread_onto_silos_that_join_with_no_election_and_stay_put_when_a_fourth_joins()
    {
        var first = new Dictionary<string, MemberSnapshot>();
        foreach (var group in new[] { "spread", "other" })
        {
            first[group] = await cluster.WaitForOnePrimary(group, 3);
            Assert.Single((await cluster.Snapshots(group, 3)).Select(s => s.Silo).Distinct()); // one silo: all on it
        }
        var joinedAt = DateTime.UtcNow;
        await cluster.Cluster.StartAdditionalSilosAsync(2);
        // Starting a silo inside the test process stalls every silo for up to a second on a small machine.
        output.WriteLine($"silos started from {joinedAt:HH:mm:ss.fff} to {DateTime.UtcNow:HH:mm:ss.fff}");

        foreach (var group in new[] { "spread", "other" })
        {
            var placed = await WaitUntilSpread(group, 3);
            output.WriteLine($"{group}: {string.Join(", ", placed.Select(s => $"{s.Member} ({s.Role}) on {s.Silo}"))}");
            AssertNoElection(group, first[group], placed, joinedAt);
            Assert.Equal(first[group].Silo, placed.Single(s => s.Member == first[group].Member).Silo); // the primary did not move
            var status = await cluster.GroupGrain(group).GetStatus();
            Assert.All(status.Members, m => Assert.Equal(placed.Single(s => s.Member == m.Id).Silo, m.Silo));
        }

        // Spread already: a fourth silo moves no one and starts no election.
        var before = new Dictionary<string, List<MemberSnapshot>>();
        foreach (var group in new[] { "spread", "other" })
        {
            before[group] = await cluster.Snapshots(group, 3);
        }
        var fourthAt = DateTime.UtcNow;
        await cluster.Cluster.StartAdditionalSiloAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(3 * cluster.DownAfterMs)); // several placement checks
        foreach (var group in new[] { "spread", "other" })
        {
            var after = await cluster.Snapshots(group, 3);
            Assert.Equal(3, after.Select(s => s.Silo).Distinct().Count());
            Assert.All(after, s => Assert.Equal(before[group].Single(b => b.Member == s.Member).Silo, s.Silo));
            AssertNoElection(group, first[group], after, fourthAt);
        }
    }

    /// <summary>No epoch moved, the primary is the same, no OFFER was sent, and no member's heartbeats stopped for down_after.</summary>
    private void AssertNoElection(string group, MemberSnapshot primary, List<MemberSnapshot> now, DateTime since)
    {
        Assert.All(now, s => Assert.Equal(primary.Epoch, s.Epoch));
        Assert.All(now, s => Assert.Equal(primary.Member, s.KnownPrimary));
        var frames = FrameJournal.ForGroup(cluster.Group(group)).Where(f => f.At >= since).ToList();
        Assert.DoesNotContain(frames, f => f.Message.Verb is Verb.Offer or Verb.Accept or Verb.Announce);
        foreach (var sender in Nodes)
        {
            // Heartbeats from one member as one peer received them: the longest silence is the move's cost.
            var to = MemberKey.Format(cluster.Group(group), Nodes.First(n => n != sender));
            var beats = frames.Where(f => f.Message.SenderId == sender && f.To == to && f.Message.Verb == Verb.Heartbeat).Select(f => f.At).ToList();
            var (gap, from) = beats.Zip(beats.Skip(1), (a, b) => (b - a, a)).DefaultIfEmpty((TimeSpan.Zero, since)).Max();
            output.WriteLine($"{group}/{sender}: longest heartbeat gap since {since:HH:mm:ss.fff}: {gap.TotalMilliseconds:0} ms from {from:HH:mm:ss.fff}");
            Assert.True(gap < TimeSpan.FromMilliseconds(cluster.DownAfterMs), $"{group}/{sender} was silent {gap.TotalMilliseconds:0} ms, a down_after");
        }
    }

    private async Task<List<MemberSnapshot>> WaitUntilSpread(string group, int size)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        List<MemberSnapshot> last = [];
        while (DateTime.UtcNow < deadline)
        {
            last = await cluster.Snapshots(group, size);
            // Spread, and every member knows the primary again (a moved member hears it within a heartbeat).
            if (last.Count == size && last.Select(s => s.Silo).Distinct().Count() == size && last.All(s => s.KnownPrimary is not null))
            {
                return last;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{group} never spread: {string.Join(", ", last.Select(s => $"{s.Member} on {s.Silo}"))}");
    }
}
