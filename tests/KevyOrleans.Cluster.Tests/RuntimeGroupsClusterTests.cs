using KevyOrleans.Abstractions;
using KevyOrleans.Cluster.Tests.Support;
using KevyOrleans.Grains;
using KevyOrleans.Grains.Placement;
using KevyOrleans.Hosting;
using KevyOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KevyOrleans.Cluster.Tests;

public sealed class RuntimeGroupsClusterFixture() : KevyClusterFixture(VoteStore.File)
{
    protected override short InitialSilos => 2;

    protected override IReadOnlyList<(string Name, int Size)> Groups => [("file", 3)];
}

/// <summary>
/// Groups managed at run time on a real 2-silo cluster: a group added through one silo's
/// <see cref="GroupRegistryService"/> is served by the other without a restart and elects; removing it
/// through the other silo deactivates its members on both and leaves its data nodes untouched; bad
/// definitions name the field and store nothing.
/// </summary>
public sealed class RuntimeGroupsClusterTests(RuntimeGroupsClusterFixture cluster) : IClassFixture<RuntimeGroupsClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private IServiceProvider Silo(int i) => cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[i].SiloAddress);

    private GroupSpec Spec(string name, string? peers = null, string? hosted = null) =>
        new(cluster.Group(name), peers ?? KevyClusterFixture.Peers(3), hosted ?? "n1,n2,n3", "", "redis");

    [Fact]
    public async Task A_group_added_on_one_silo_runs_from_the_other_and_removing_it_stops_its_members_and_leaves_its_data_nodes()
    {
        var spec = Spec("rt");
        var added = await Silo(0).GetRequiredService<GroupRegistryService>().AddAsync(spec, CancellationToken.None);
        Assert.True(added.Result == GroupChange.Added, added.Message);

        // The other silo learns it by itself (its registry poll), and the group elects.
        var otherCatalog = Silo(1).GetRequiredService<RuntimeGroupCatalog>();
        await Until(() => otherCatalog.Find(spec.Name) is not null, "silo 1 serves the new group");
        var primary = await cluster.WaitForOnePrimary("rt", 3, within: Patience);
        Assert.Equal("master", ScriptedDataNodes.Get(spec.Name, primary.Member).Role);
        Assert.Contains(spec.Name, (await cluster.Cluster.GrainFactory.GetGrain<IGroupRegistryGrain>(0).Get()).Groups.Select(g => g.Name));

        // The same definition again changes nothing; another member list for the running group is refused.
        Assert.Equal(GroupChange.Added, (await Silo(1).GetRequiredService<GroupRegistryService>().AddAsync(spec, CancellationToken.None)).Result);
        var changed = await Silo(1).GetRequiredService<GroupRegistryService>().AddAsync(Spec("rt", KevyClusterFixture.Peers(5), "n1,n2,n3,n4,n5"), CancellationToken.None);
        Assert.Equal(GroupChange.Conflict, changed.Result);

        var nodes = Enumerable.Range(1, 3).Select(i => ScriptedDataNodes.Get(spec.Name, $"n{i}")).ToList();
        var removed = await Silo(1).GetRequiredService<GroupRegistryService>().RemoveAsync(spec.Name, CancellationToken.None);
        Assert.True(removed.Result == GroupChange.Removed, removed.Message);
        var catalogs = new[] { Silo(0), Silo(1) }.Select(s => s.GetRequiredService<RuntimeGroupCatalog>()).ToList();
        var locals = new[] { Silo(0), Silo(1) }.Select(s => s.GetRequiredService<LocalMembers>()).ToList();
        await Until(() => catalogs.All(c => c.Find(spec.Name) is null) && locals.All(l => !l.Keys.Any(k => k.StartsWith(spec.Name + "/", StringComparison.Ordinal))),
            "no silo serves the group and no member of it is active");
        var commands = nodes.Select(n => n.Commands.Count).ToList();
        var roles = nodes.Select(n => n.Role).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3)); // several supervisor rounds and down_afters: nothing re-activates them
        Assert.Equal(commands, nodes.Select(n => n.Commands.Count));
        Assert.Equal(roles, nodes.Select(n => n.Role)); // the primary's node is still a master: nobody fenced or demoted it
        Assert.All(locals, l => Assert.DoesNotContain(l.Keys, k => k.StartsWith(spec.Name + "/", StringComparison.Ordinal)));
        Assert.Equal(GroupChange.Unknown, (await Silo(0).GetRequiredService<GroupRegistryService>().RemoveAsync(spec.Name, CancellationToken.None)).Result);
    }

    [Fact]
    public async Task Bad_definitions_name_the_field_and_store_nothing()
    {
        var registry = cluster.Cluster.GrainFactory.GetGrain<IGroupRegistryGrain>(0);
        var service = Silo(0).GetRequiredService<GroupRegistryService>();
        var before = await registry.GetVersion();

        var bad = new (GroupSpec Spec, string Field)[]
        {
            (Spec("bad1", "n1@127.0.0.1"), "Peers"),
            (Spec("bad2", hosted: "n1,n9"), "Hosted"),
            (Spec("bad3", hosted: "n1,n2"), "Hosted"), // n3 external: a run-time group hosts every member
            (Spec("bad4") with { DataNodes = "memcached" }, "DataNodes"),
            (Spec("bad5") with { Witnesses = "n1" }, "Witnesses"), // a witness id must sort after every data member's
            (Spec("bad6") with { Name = "no/slash" }, "Name"),
        };
        foreach (var (spec, field) in bad)
        {
            var outcome = await service.AddAsync(spec, CancellationToken.None);
            Assert.True(outcome.Result == GroupChange.Invalid, $"{spec}: {outcome.Result} {outcome.Message}");
            Assert.Contains(outcome.Errors, e => e.Key == field);
        }
        var fileOwned = await service.AddAsync(Spec("file"), CancellationToken.None);
        Assert.Equal(GroupChange.FileOwned, fileOwned.Result);
        Assert.Equal(GroupChange.FileOwned, (await service.RemoveAsync(cluster.Group("file"), CancellationToken.None)).Result);

        Assert.Equal(before, await registry.GetVersion());
        Assert.All(bad, b => Assert.Null(Silo(0).GetRequiredService<RuntimeGroupCatalog>().Find(b.Spec.Name)));
        Assert.NotNull(Silo(0).GetRequiredService<RuntimeGroupCatalog>().Find(cluster.Group("file")));
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Patience.TotalSeconds:0} s: {what}");
            await Task.Delay(50);
        }
    }
}
