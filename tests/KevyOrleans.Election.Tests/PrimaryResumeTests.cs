using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// A primary whose process or silo goes away and comes back (a silo crash, a rolling restart) resumes
/// as the primary of its stored epoch: no election, fenced until a majority proves it hears this
/// activation. Its peers never stopped following it if it is back within down_after.
/// </summary>
public sealed class PrimaryResumeTests
{
    private const string Members = "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003";

    private static ElectorHarness PrimaryAtSix()
    {
        var h = new ElectorHarness("n1", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Advance(h.Timings.DownAfter + h.Timings.HeartbeatInterval);
        h.Receive(ElectionMessage.Accept(6, "n2"));
        Assert.Equal((Role.Primary, 6UL), (h.Elector.Role, h.Elector.Epoch));
        return h;
    }

    private static HeartbeatStamp? LastStamp(IEnumerable<Effects> effects) =>
        effects.SelectMany(e => e.Sent(Verb.Heartbeat)).Select(m => m.Stamp).LastOrDefault();

    [Fact]
    public void A_restarted_primary_resumes_its_epoch_fenced_and_unfences_when_its_majority_echoes_it()
    {
        var h = PrimaryAtSix();
        var writes = h.Writes;
        var restarted = h.Restart(); // its first input: the data node answers
        Assert.Equal((Role.Primary, 6UL), (h.Elector.Role, h.Elector.Epoch));
        Assert.Equal(DataNodeIntent.FencedPrimary, h.Elector.Intent); // fenced from the first instant
        Assert.Contains(restarted.Actions, a => a.Kind == DataNodeActionKind.Fence);
        var first = h.Advance(h.Timings.HeartbeatInterval).Prepend(restarted).ToList();
        var hb = Assert.Single(first.SelectMany(e => e.Sent(Verb.Heartbeat)));
        Assert.Equal((6UL, Role.Primary), (hb.Epoch, hb.Role)); // no OFFER, no new epoch
        Assert.Empty(first.SelectMany(e => e.Sent(Verb.Offer)));

        // Frames of the peers that echo the previous activation prove nothing to this one.
        var old = new HeartbeatStamp(hb.Stamp!.Value.Activation + 1, hb.Stamp.Value.SentTicks);
        h.Receive(ElectionMessage.Heartbeat(6, "n2", Role.Replica, 10) with { Stamp = old });
        Assert.Equal(DataNodeIntent.FencedPrimary, h.Elector.Intent);

        h.Wait(TimeSpan.FromMilliseconds(5));
        var unfenced = h.Receive(ElectionMessage.Heartbeat(6, "n2", Role.Replica, 10) with { Stamp = hb.Stamp });
        Assert.Equal([DataNodeAction.Unfence], unfenced.Actions);
        Assert.Equal(DataNodeIntent.Primary, h.Elector.Intent);
        Assert.Equal(writes, h.Writes); // nothing durable changed: no vote, no epoch
    }

    [Fact]
    public void A_resumed_primary_whose_group_moved_on_steps_down_and_never_unfences()
    {
        var h = PrimaryAtSix();
        h.Restart();
        var stamp = LastStamp(h.Advance(h.Timings.HeartbeatInterval));
        h.Receive(ElectionMessage.Heartbeat(7, "n2", Role.Replica, 10) with { Stamp = stamp });
        h.Receive(ElectionMessage.Heartbeat(7, "n3", Role.Replica, 10) with { Stamp = stamp });
        Assert.NotEqual(Role.Primary, h.Elector.Role);
        Assert.NotEqual(DataNodeIntent.Primary, h.Elector.Intent);
    }

    [Fact]
    public void A_member_that_voted_past_its_own_primacy_restarts_as_a_replica()
    {
        var h = new ElectorHarness("n1", Members,
            stored: new DurableRecord(7, new Vote(7, "n2"), new Announcement(6, "n1")), offset: 10);
        Assert.Equal(Role.Replica, h.Elector.Role);
        Assert.Equal(DataNodeIntent.Undecided, h.Elector.Intent);
    }
}
