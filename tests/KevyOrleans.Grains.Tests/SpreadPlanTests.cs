using KevyOrleans.Election;
using KevyOrleans.Grains;
using KevyOrleans.Grains.Placement;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains.Tests;

/// <summary>Where members go (<see cref="SpreadPlan"/>): distinct silos when there are enough, and who makes way when two share one.</summary>
public sealed class SpreadPlanTests
{
    private static readonly string[] ThreeSilos = ["S10.0.0.3:11111:1", "S10.0.0.1:11111:1", "S10.0.0.2:11111:1"];

    private static GroupDefinition Group(string name, int size, string hosted) => new(name,
        new ElectionGroup(MemberList.Parse(string.Join(',', Enumerable.Range(1, size).Select(i => $"n{i}@h:{7000 + i}:{6000 + i}"))), []),
        hosted.Split(','), ElectionTimings.Default, DataNodeKind.Redis);

    [Theory]
    [InlineData(3, 3)]
    [InlineData(3, 5)]
    [InlineData(5, 5)]
    [InlineData(5, 7)]
    public void Members_of_a_group_prefer_distinct_silos_when_there_are_enough(int size, int silos)
    {
        foreach (var name in new[] { "orders", "users", "a", "zz-9" })
        {
            var group = Group(name, size, string.Join(',', Enumerable.Range(1, size).Select(i => $"n{i}")));
            var slots = Enumerable.Range(1, size).Select(i => SpreadPlan.PreferredSlot(group, $"n{i}", silos)).ToList();
            Assert.Equal(size, slots.Distinct().Count());
            Assert.All(slots, s => Assert.InRange(s, 0, silos - 1));
        }
    }

    [Fact]
    public void Only_hosted_members_take_slots_in_member_list_order()
    {
        var group = Group("orders", 5, "n2,n4,n5");
        Assert.Equal([-1, 0, -1, 1, 2], Enumerable.Range(1, 5).Select(i => SpreadPlan.HostedIndex(group, $"n{i}")));
        var slots = new[] { "n2", "n4", "n5" }.Select(m => SpreadPlan.PreferredSlot(group, m, 3)).ToList();
        Assert.Equal(3, slots.Distinct().Count());
    }

    [Fact]
    public void The_group_offset_is_the_same_in_every_process_and_differs_between_groups()
    {
        Assert.Equal(SpreadPlan.GroupOffset("orders"), SpreadPlan.GroupOffset(new string("orders".ToCharArray())));
        Assert.Equal(0x811C9DC5u, SpreadPlan.GroupOffset("")); // FNV-1a's basis: no per-process seed
        Assert.NotEqual(SpreadPlan.GroupOffset("orders"), SpreadPlan.GroupOffset("users"));
    }

    [Fact]
    public void A_replica_sharing_the_primarys_silo_moves_to_a_free_silo_and_the_primary_stays()
    {
        var group = Group("orders", 3, "n1,n2,n3");
        var peersOfN2 = new Dictionary<string, string> { ["n1"] = ThreeSilos[0], ["n3"] = ThreeSilos[1] };
        Assert.Equal(ThreeSilos[2], SpreadPlan.MoveTarget(group, "n2", false, "n1", ThreeSilos[0], ThreeSilos, peersOfN2));
        // The primary n3 shares with n1: n1 has the lower index, yet the primary never moves; n1 makes way.
        var peersOfN3 = new Dictionary<string, string> { ["n1"] = ThreeSilos[0], ["n2"] = ThreeSilos[1] };
        Assert.Null(SpreadPlan.MoveTarget(group, "n3", true, "n3", ThreeSilos[0], ThreeSilos, peersOfN3));
        var peersOfN1 = new Dictionary<string, string> { ["n3"] = ThreeSilos[0], ["n2"] = ThreeSilos[1] };
        Assert.Equal(ThreeSilos[2], SpreadPlan.MoveTarget(group, "n1", false, "n3", ThreeSilos[0], ThreeSilos, peersOfN1));
    }

    [Fact]
    public void Of_two_replicas_on_one_silo_the_higher_index_moves_and_none_moves_without_a_free_silo()
    {
        var group = Group("orders", 3, "n1,n2,n3");
        var both = new Dictionary<string, string> { ["n1"] = ThreeSilos[1], ["n3"] = ThreeSilos[0] };
        Assert.Null(SpreadPlan.MoveTarget(group, "n2", false, "n1", ThreeSilos[0], ThreeSilos, both)); // n3 is higher: n2 stays
        var ofN3 = new Dictionary<string, string> { ["n1"] = ThreeSilos[1], ["n2"] = ThreeSilos[0] };
        Assert.Equal(ThreeSilos[2], SpreadPlan.MoveTarget(group, "n3", false, "n1", ThreeSilos[0], ThreeSilos, ofN3));
        // Two silos for three members: someone must share; no move helps.
        string[] two = [ThreeSilos[0], ThreeSilos[1]];
        var crowded = new Dictionary<string, string> { ["n1"] = two[0], ["n2"] = two[1] };
        Assert.Null(SpreadPlan.MoveTarget(group, "n3", false, "n1", two[0], two, crowded));
        // Alone on its silo of its group: nothing to do.
        var alone = new Dictionary<string, string> { ["n1"] = ThreeSilos[1], ["n2"] = ThreeSilos[2] };
        Assert.Null(SpreadPlan.MoveTarget(group, "n3", false, "n1", ThreeSilos[0], ThreeSilos, alone));
    }

    [Fact]
    public void The_director_picks_the_preferred_slot_of_the_sorted_silos_whatever_order_they_come_in()
    {
        var group = Group("orders", 3, "n1,n2,n3");
        var catalog = new GroupCatalog([group]);
        var sorted = SpreadPlan.Sort(ThreeSilos);
        foreach (var member in new[] { "n1", "n2", "n3" })
        {
            var expected = sorted[SpreadPlan.PreferredSlot(group, member, 3)];
            var addresses = ThreeSilos.Select(Address).ToList();
            Assert.Equal(expected, SpreadPlacementDirector.Choose(catalog, $"orders/{member}", addresses).ToString());
            addresses.Reverse();
            Assert.Equal(expected, SpreadPlacementDirector.Choose(catalog, $"orders/{member}", addresses).ToString());
        }
        Assert.Equal(3, new[] { "n1", "n2", "n3" }.Select(m => SpreadPlacementDirector.Choose(catalog, $"orders/{m}", [.. ThreeSilos.Select(Address)])).Distinct().Count());
    }

    /// <summary>The silo whose ToString() is <paramref name="text"/> (<c>S{ip}:{port}:{generation}</c>).</summary>
    private static SiloAddress Address(string text)
    {
        var parts = text[1..].Split(':');
        var endpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Parse(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        var address = SiloAddress.New(endpoint, int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(text, address.ToString());
        return address;
    }
}
