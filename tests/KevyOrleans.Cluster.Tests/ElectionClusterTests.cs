using KevyOrleans.Testing;
using KevyOrleans.Cluster.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Cluster.Tests;

public sealed class ElectionClusterFixture<TStore>() : KevyClusterFixture(TStore.Store) where TStore : IStoreKind
{
    protected override IReadOnlyList<(string Name, int Size)> Groups =>
        [("three", 3), ("five", 5), ("failing", 3), ("stalling", 3)];

    protected override void BeforeStart()
    {
        // Voters n2 and n3 cannot make their votes durable from the very first write.
        StorageFaults.Set(Group("failing"), new StorageFault(Fail: true, TimeSpan.Zero), "n2");
        StorageFaults.Set(Group("failing"), new StorageFault(Fail: true, TimeSpan.Zero), "n3");
        // Writes of n2 and n3 take three times the storage timeout (1 s): a margin for a loaded machine.
        StorageFaults.Set(Group("stalling"), new StorageFault(Fail: false, TimeSpan.FromMilliseconds(3000)), "n2");
        StorageFaults.Set(Group("stalling"), new StorageFault(Fail: false, TimeSpan.FromMilliseconds(3000)), "n3");
    }
}

/// <summary>Elections of hosted members with scripted data nodes on a real 3-silo cluster.</summary>
public abstract partial class ElectionClusterTests<TStore>(ElectionClusterFixture<TStore> cluster) : IClassFixture<ElectionClusterFixture<TStore>>
    where TStore : IStoreKind
{
    [Theory]
    [InlineData("three", 3)]
    [InlineData("five", 5)]
    public async Task Cold_start_elects_one_primary_and_a_dead_data_node_gets_it_replaced(string group, int size)
    {
        var first = await cluster.WaitForOnePrimary(group, size);
        var node = ScriptedDataNodes.Get(cluster.Group(group), first.Member);
        Assert.Equal("master", node.Role);
        foreach (var other in Enumerable.Range(1, size).Select(i => $"n{i}").Where(n => n != first.Member))
        {
            Assert.StartsWith("replica of 127.0.0.1:1600", ScriptedDataNodes.Get(cluster.Group(group), other).Role, StringComparison.Ordinal);
        }

        node.Alive = false; // its member stops heartbeating: the others elect a new primary
        var survivors = Enumerable.Range(1, size).Select(i => $"n{i}").Where(n => n != first.Member).ToList();
        var second = await cluster.WaitForOnePrimary(group, size, survivors);
        Assert.NotEqual(first.Member, second.Member);
        Assert.True(second.Epoch > first.Epoch);
        var history = await cluster.HistoryWith(group, second.Epoch);
        Assert.Contains(history, h => h.Epoch == first.Epoch && h.Primary == first.Member);
        Assert.Contains(history, h => h.Epoch == second.Epoch && h.Primary == second.Member);
        Assert.Empty(StorageJournal.DoubleVotes(cluster.Group(group)));
        node.Alive = true;
    }

    [Theory]
    [InlineData("failing")]
    [InlineData("stalling")]
    public async Task A_vote_whose_write_failed_is_never_sent_and_the_group_elects_once_storage_recovers(string group)
    {
        var name = cluster.Group(group);
        // n1 (lowest id) runs; n2 and n3 try to vote for it, but their votes never become durable.
        await WaitUntil(() => FrameJournal.ForGroup(name).Any(f => f.Message.Verb == Verb.Offer), TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var early = FrameJournal.ForGroup(name).Where(f => f.Message.Verb == Verb.Accept).ToList();
        Assert.True(early.Count == 0, $"ACCEPTs delivered while votes could not be stored: {string.Join(" | ", early.Select(f => $"{f.To} <- {f.Message} at {f.At:HH:mm:ss.fff}"))}");
        if (group == "failing")
        {
            var stored = StorageJournal.Writes.Where(w => w.Key == name + "/n2" || w.Key == name + "/n3").ToList();
            Assert.True(stored.Count == 0, $"votes stored despite failing storage: {string.Join(" | ", stored)}");
        }
        // A stalled write may still land after the member gave up on it: storage ahead of the wire is safe.
        Assert.Empty(await cluster.GroupGrain(group).GetHistory());

        StorageFaults.Clear(name);
        var primary = await cluster.WaitForOnePrimary(group, 3);
        var accepts = FrameJournal.ForGroup(name).Where(f => f.Message.Verb == Verb.Accept).ToList();
        Assert.NotEmpty(accepts);
        // Every ACCEPT that left a member is backed by that member's stored vote for that epoch.
        foreach (var (to, message, _) in accepts)
        {
            Assert.Contains(StorageJournal.Writes, w => w.Key == $"{name}/{message.SenderId}" && w.VoteEpoch == message.Epoch && $"{name}/{w.VotedFor}" == to);
        }
        Assert.Single(await cluster.HistoryWith(group, primary.Epoch), h => h.Primary == primary.Member);
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}

public interface IStoreKind
{
    static abstract VoteStore Store { get; }
}

public sealed class FileStore : IStoreKind
{
    public static VoteStore Store => VoteStore.File;
}

public sealed class AzureTableStore : IStoreKind
{
    public static VoteStore Store => VoteStore.AzureTable;
}

public sealed class FileElectionClusterTests(ElectionClusterFixture<FileStore> cluster) : ElectionClusterTests<FileStore>(cluster);

public sealed class AzureElectionClusterTests(ElectionClusterFixture<AzureTableStore> cluster) : ElectionClusterTests<AzureTableStore>(cluster);
