using KevyOrleans.Cluster.Tests.Support;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;

namespace KevyOrleans.Cluster.Tests;

/// <summary>
/// Two groups of three with failover settings (issue 15, item 2): in "nofail" n1 is NoFailover; in
/// "prio" n3 has priority 10 and n2 priority 5. All data nodes start at one offset, so every tie is real.
/// </summary>
public sealed class EligibilityClusterFixture() : KevyClusterFixture(VoteStore.File)
{
    protected override IReadOnlyList<(string Name, int Size)> Groups => [("nofail", 3), ("prio", 3)];

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Kevy:Groups:0:Members:0:Id"] = "n1",
        ["Kevy:Groups:0:Members:0:NoFailover"] = "true",
        ["Kevy:Groups:1:Members:0:Id"] = "n3",
        ["Kevy:Groups:1:Members:0:Priority"] = "10",
        ["Kevy:Groups:1:Members:1:Id"] = "n2",
        ["Kevy:Groups:1:Members:1:Priority"] = "5",
    };

    protected override void BeforeStart()
    {
        foreach (var g in new[] { "nofail", "prio" })
        {
            for (var i = 1; i <= 3; i++)
            {
                ScriptedDataNodes.Get(Group(g), $"n{i}").Offset = 100;
            }
        }
    }
}

/// <summary>NoFailover and Priority in a real 3-silo cluster, with the members as grains.</summary>
public sealed class EligibilityClusterTests(EligibilityClusterFixture cluster) : IClassFixture<EligibilityClusterFixture>
{
    [Fact]
    public async Task The_NoFailover_member_never_becomes_primary_even_ahead_of_the_others_when_the_primary_data_node_dies()
    {
        var name = cluster.Group("nofail");
        // n1 would win every tie by kevy's rule (lowest id); it is NoFailover, so n2 or n3 is elected. Which
        // of the two is a race of the cold start: a member that has not heard a peer yet may run before it.
        var first = await cluster.WaitForOnePrimary("nofail", 3);
        Assert.Contains(first.Member, new[] { "n2", "n3" });
        var other = first.Member == "n2" ? "n3" : "n2";
        var n1 = (await cluster.Snapshots("nofail", 3)).Single(s => s.Member == "n1");
        Assert.Equal("NoFailover: this member never becomes primary", n1.NotEligible);

        // Now n1 is even ahead of the other and the primary's data node dies: the other must not wait for n1.
        ScriptedDataNodes.Get(name, "n1").Offset = 500;
        ScriptedDataNodes.Get(name, first.Member).Alive = false;
        var second = await cluster.WaitForOnePrimary("nofail", 3, ["n1", other]);
        Assert.Equal(other, second.Member);
        Assert.True(second.Epoch > first.Epoch);

        var status = await cluster.GroupGrain("nofail").GetStatus();
        var shown = status.Members.Single(m => m.Id == "n1");
        Assert.True(shown.NoFailover);
        Assert.NotNull(shown.NotEligible);
        Assert.Null(status.NoPrimaryReason);
        Assert.DoesNotContain(await cluster.GroupGrain("nofail").GetHistory(), e => e.Primary == "n1");
    }

    [Fact]
    public async Task The_higher_priority_member_wins_an_offset_tie_against_lower_ids()
    {
        var name = cluster.Group("prio");
        // Equal offsets: kevy would elect n1; with priorities n1 (0) is refused by n2 (5) and n3 (10). The cold
        // start may still elect n2 if it runs before it hears n3, so the first winner is n2 or n3.
        var first = await cluster.WaitForOnePrimary("prio", 3);
        Assert.Contains(first.Member, new[] { "n2", "n3" });
        var other = first.Member == "n2" ? "n3" : "n2";

        // The primary's data node dies, now with everyone heard: the other (priority 5 or 10) beats n1
        // (priority 0, lower id) at the same offset.
        ScriptedDataNodes.Get(name, first.Member).Alive = false;
        var second = await cluster.WaitForOnePrimary("prio", 3, ["n1", other]);
        Assert.Equal(other, second.Member);
        var status = await cluster.GroupGrain("prio").GetStatus();
        Assert.Equal([0, 5, 10], status.Members.OrderBy(m => m.Id, StringComparer.Ordinal).Select(m => m.Priority));
    }
}
