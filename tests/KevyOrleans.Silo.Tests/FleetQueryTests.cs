using KevyOrleans.Abstractions;
using KevyOrleans.Protocol;
using KevyOrleans.Silo.Admin;

namespace KevyOrleans.Silo.Tests;

/// <summary>The fleet view's pure parts: group states, the worst-first order, filters, paging, the 400s.</summary>
public sealed class FleetQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);

    private static GroupMemberStatus Member(string id, bool up, Role role = Role.Replica, bool? dataNode = true) =>
        new(id, true, false, role, 3, 100, up, up ? 10 : 9000, "n1") { DataNodeHealthy = dataNode };

    [Fact]
    public void A_group_is_healthy_degraded_or_without_primary_by_the_up_rule()
    {
        Assert.Equal("healthy", GroupStates.Of(new GroupStatus("g", 3, "n1", [Member("n1", true, Role.Primary), Member("n2", true)])));
        Assert.Equal("degraded", GroupStates.Of(new GroupStatus("g", 3, "n1", [Member("n1", true, Role.Primary), Member("n2", false)])));
        // Its grain answers, but its data node does not: down, as in the member's "up" field.
        Assert.Equal("degraded", GroupStates.Of(new GroupStatus("g", 3, "n1", [Member("n1", true, Role.Primary), Member("n2", true, dataNode: false)])));
        Assert.Equal("noprimary", GroupStates.Of(new GroupStatus("g", 3, null, [Member("n1", true), Member("n2", true)])));
        Assert.Equal("noprimary", GroupStates.Of(new GroupStatus("g", 3, "n1", [Member("n1", false, Role.Primary), Member("n2", true)])));
        Assert.Equal("noprimary", GroupStates.Of(new GroupStatus("g", 3, "n1", [Member("n1", true, Role.Primary, dataNode: false), Member("n2", true)])));
    }

    [Fact]
    public void The_snapshot_lists_the_worst_first_and_counts_every_group()
    {
        var snapshot = FleetSnapshot.Of(
        [
            Group("a", "healthy", 1), Group("b", "degraded", 2), Group("c", "noprimary", 0), Group("d", "healthy", 0), Group("e", "degraded", 1),
        ], Now);
        Assert.Equal(["c", "b", "e", "a", "d"], snapshot.Groups.Select(g => g.Name));
        Assert.Equal(new FleetSummary(5, 2, 2, 1, 4), snapshot.Summary);
    }

    [Fact]
    public void State_search_and_paging_select_one_page_of_the_matching_groups()
    {
        var snapshot = FleetSnapshot.Of(Enumerable.Range(0, 1000).Select(i => Group($"group-{i:D4}", i % 100 == 7 ? "degraded" : "healthy", 0)), Now);

        var (matched, page, pages, groups) = Parse(null, null, null, null).Apply(snapshot);
        Assert.Equal((1000, 1, 20, 50), (matched, page, pages, groups.Count));
        Assert.Equal("group-0007", groups[0].Name); // the ten degraded ones come first
        Assert.All(groups.Take(10), g => Assert.Equal("degraded", g.State));

        (matched, _, pages, groups) = Parse("Degraded", null, null, null).Apply(snapshot);
        Assert.Equal((10, 1, 10), (matched, pages, groups.Count));

        (matched, page, _, groups) = Parse(null, "GROUP-09", "2", "30").Apply(snapshot);
        Assert.Equal((100, 2), (matched, page));
        Assert.Equal("group-0930", groups[0].Name); // page 1: 0907 (degraded), then 0900-0906 and 0908-0929
        Assert.Equal(30, groups.Count);

        (matched, page, pages, groups) = Parse(null, "group-09", "99", "30").Apply(snapshot);
        Assert.Equal((100, 4, 4, 10), (matched, page, pages, groups.Count)); // past the last page: the last

        (matched, page, pages, groups) = Parse("noprimary", null, null, null).Apply(snapshot);
        Assert.Equal((0, 1, 1, 0), (matched, page, pages, groups.Count));
    }

    [Theory]
    [InlineData("sick", null, null, "state is 'sick'; it must be healthy, degraded or noprimary")]
    [InlineData(null, "0", null, "page is '0'; it must be a whole number from 1")]
    [InlineData(null, "two", null, "page is 'two'")]
    [InlineData(null, null, "0", "pageSize is '0'; it must be a whole number from 1 to 500")]
    [InlineData(null, null, "501", "pageSize is '501'")]
    public void A_bad_parameter_is_named(string? state, string? page, string? pageSize, string expected)
    {
        var (query, error) = FleetQuery.Parse(state, null, page, pageSize);
        Assert.Null(query);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    private static FleetQuery Parse(string? state, string? q, string? page, string? pageSize)
    {
        var (query, error) = FleetQuery.Parse(state, q, page, pageSize);
        Assert.True(query is not null, error);
        return query;
    }

    private static FleetGroup Group(string name, string state, int elections) =>
        new(name, state, 1, state == "noprimary" ? null : "n1", 3, state == "healthy" ? 3 : 2, elections, Now, null);
}
