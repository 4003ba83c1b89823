using KevyOrleans.Testing;
using KevyOrleans.Cluster.Tests.Support;
using KevyOrleans.Election;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace KevyOrleans.Cluster.Tests;

// During a silo failure two activations of one member may briefly exist. Both load the same stored
// record; the storage ETag lets only one write win, and the loser sends nothing.
public abstract partial class ElectionClusterTests<TStore>
{
    [Fact]
    public async Task Two_activations_over_one_record_only_one_write_wins_and_the_loser_sends_nothing()
    {
        var services = cluster.Cluster.GetSiloServiceProvider();
        var storage = services.GetRequiredKeyedService<IGrainStorage>("kevy-votes-inner");
        var group = new GroupDefinition($"{cluster.Prefix}-dup", new ElectionGroup(MemberList.Parse(KevyClusterFixture.Peers(3))),
            ["n1", "n2", "n3"], ElectionTimings.Default, DataNodeKind.Redis);
        var grain = GrainId.Create("member", $"{group.Name}/n3");
        var metrics = services.GetRequiredService<KevyMetrics>();

        HostedMember Activation(GrainStorageMemberStore store, RecordingOutbox outbox) =>
            new(group, "n3", store, outbox, new ScriptedDataNode(), TimeProvider.System, NullLogger.Instance, metrics, TimeSpan.FromSeconds(5), new Random(1));

        var firstOut = new RecordingOutbox();
        var secondOut = new RecordingOutbox();
        var first = Activation(await GrainStorageMemberStore.LoadAsync(storage, grain), firstOut);
        var second = Activation(await GrainStorageMemberStore.LoadAsync(storage, grain), secondOut);
        // Rule 11: a data member votes only once its data node has answered in this activation.
        await first.TickAsync();
        await second.TickAsync();
        firstOut.Sent.Clear(); // the start-up heartbeats
        secondOut.Sent.Clear();

        await first.ReceiveAsync(ElectionMessage.Offer(2, "n1", 0));
        await second.ReceiveAsync(ElectionMessage.Offer(2, "n2", 0)); // would be a second vote in epoch 2

        Assert.Equal(("n1", ElectionMessage.Accept(2, "n3")), Assert.Single(firstOut.Sent));
        Assert.False(first.IsRetired);
        Assert.Empty(secondOut.Sent);
        Assert.True(second.IsRetired);

        // A retired activation stays silent; a fresh one sees the winner's vote.
        await second.ReceiveAsync(ElectionMessage.Offer(3, "n2", 0));
        Assert.Empty(secondOut.Sent);
        var reloaded = await GrainStorageMemberStore.LoadAsync(storage, grain);
        Assert.Equal(new Vote(2, "n1"), reloaded.Loaded!.Vote);
    }
}
