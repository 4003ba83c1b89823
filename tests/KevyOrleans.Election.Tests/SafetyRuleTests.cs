using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// The safety rules beyond kevy (rules 9-11, the late and silent candidate, the action contract), one
/// elector at a time, one rule per test, each named after its rule. Each failed before its fix. The
/// confirmed-fence switchover has its own class (<see cref="SwitchoverFenceRuleTests"/>).
/// </summary>
public sealed class SafetyRuleTests
{
    private const string Members = "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003";

    // ---- rule 9: the epoch ceiling ----

    private const string WithWitness = "n1@h:7001:6001,n2@h:7002:6002,w3@h:7003";

    [Theory]
    [InlineData(18446744073709551615UL)]
    [InlineData(9223372036854775808UL)] // 2^63: the first invalid epoch
    public void Rule9_a_frame_at_or_above_the_epoch_ceiling_is_dropped_and_the_witness_still_votes(ulong epoch)
    {
        var w3 = new ElectorHarness("w3", WithWitness, ["w3"], stored: new DurableRecord(5, null, null));
        var fx = w3.Receive(ElectionMessage.Heartbeat(epoch, "n1", Role.Primary, 0));
        var rejected = Assert.Single(fx.Events);
        Assert.Equal(ElectorEventKind.FrameRejected, rejected.Kind);
        Assert.Equal("n1", rejected.Member);
        Assert.Equal(Verb.Heartbeat, rejected.Verb);
        Assert.Empty(fx.Messages);
        Assert.Empty(fx.Actions);
        Assert.Equal(5UL, w3.Elector.Epoch);
        Assert.Equal(0, w3.Writes);
        Assert.Null(w3.Elector.KnownPrimary);
        Assert.Null(w3.Elector.GetStatus(w3.Now).Members.Single(m => m.Id == "n1").SinceLastSeen); // not even heard
        foreach (var verb in new[] { ElectionMessage.Offer(epoch, "n2", 0), ElectionMessage.Announce(epoch, "n2", "h:6002"), ElectionMessage.Accept(epoch, "n2") })
        {
            Assert.True(w3.Receive(verb).Has(ElectorEventKind.FrameRejected));
        }
        Assert.Equal(5UL, w3.Elector.Epoch);

        var vote = w3.Receive(ElectionMessage.Offer(6, "n2", 0)); // the next normal epoch
        Assert.Equal(ElectionMessage.Accept(6, "w3"), Assert.Single(vote.Messages).Message);
    }

    [Fact]
    public void Rule9_a_candidacy_never_computes_an_epoch_at_or_past_the_ceiling()
    {
        var n1 = new ElectorHarness("n1", Members, offset: 50);
        n1.Receive(ElectionMessage.Heartbeat(Epochs.Ceiling - 1, "n2", Role.Replica, 10)); // the highest valid epoch
        var after = n1.Advance(n1.Timings.DownAfter * 3);
        Assert.Empty(after.All(Verb.Offer));
        Assert.Contains(after, e => e.Has(ElectorEventKind.EpochExhausted));
        Assert.NotEqual(Role.Candidate, n1.Elector.Role);
        Assert.True(n1.Elector.Epoch < Epochs.Ceiling);
    }

    [Fact]
    public void Rule9_an_adopted_near_ceiling_epoch_never_wraps_or_lowers_the_stored_epoch()
    {
        var n1 = new ElectorHarness("n1", Members, offset: 50);
        n1.Receive(ElectionMessage.Announce(Epochs.Ceiling - 1, "n2", "h:6002"));
        Assert.Equal(Epochs.Ceiling - 1, n1.Elector.Epoch);
        n1.Advance(n1.Timings.DownAfter * 3); // n2 goes silent: n1 would run
        n1.Receive(ElectionMessage.Offer(3, "n3", 99));
        n1.Receive(ElectionMessage.Heartbeat(4, "n3", Role.Primary, 99));
        Assert.Equal(Epochs.Ceiling - 1, n1.Elector.Epoch);
        Assert.Equal(Epochs.Ceiling - 1, n1.Stored!.Epoch);
        n1.Restart();
        Assert.Equal(Epochs.Ceiling - 1, n1.Elector.Epoch);
    }

    [Theory]
    [InlineData("epoch")]
    [InlineData("vote")]
    [InlineData("announcement")]
    public void Rule9_a_stored_record_at_or_above_the_ceiling_is_corrupt_storage(string field)
    {
        var bad = Epochs.Ceiling;
        var record = field switch
        {
            "epoch" => new DurableRecord(bad, null, null),
            "vote" => new DurableRecord(5, new Vote(bad, "n2"), null),
            _ => new DurableRecord(5, null, new Announcement(bad, "n2")),
        };
        var group = new ElectionGroup(MemberList.Parse(Members));
        var e = Assert.Throws<InvalidDataException>(() =>
            new Elector(new ElectorConfig("n1", group, ElectionTimings.Default), record, TimeSpan.Zero, new Random(1)));
        Assert.Contains("'n1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("2^63", e.Message, StringComparison.Ordinal);
    }

    // ---- rule 10: the lease counts only peers that have not moved on ----

    /// <summary>n1 primary at epoch 6 with n2's vote, then n3 wins epoch 7 with n2's vote out of n1's sight.</summary>
    private static ElectorHarness PrimaryAtSix()
    {
        var h = new ElectorHarness("n1", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Advance(h.Timings.DownAfter + h.Timings.HeartbeatInterval);
        h.Receive(ElectionMessage.Accept(6, "n2"));
        Assert.Equal((Role.Primary, 6UL), (h.Elector.Role, h.Elector.Epoch));
        return h;
    }

    [Fact]
    public void Rule10_the_lease_never_counts_a_peer_whose_latest_frame_carries_a_higher_epoch()
    {
        var h = PrimaryAtSix();
        h.Receive(ElectionMessage.Heartbeat(6, "n2", Role.Replica, 10));
        var first = h.Receive(ElectionMessage.Heartbeat(7, "n2", Role.Replica, 10));
        Assert.Contains(DataNodeAction.Fence, first.Actions); // at once
        for (var i = 0; i < 50; i++)
        {
            var step = h.Advance(h.Timings.HeartbeatInterval);
            step.Add(h.Receive(ElectionMessage.Heartbeat(7, "n2", Role.Replica, 10)));
            Assert.DoesNotContain(step.SelectMany(e => e.Actions), a => a.Kind is DataNodeActionKind.Unfence or DataNodeActionKind.Promote);
            Assert.Equal(DataNodeIntent.FencedPrimary, h.Elector.Intent);
        }
    }

    [Fact]
    public void Rule10_a_primary_that_hears_a_higher_offer_fences_but_stays_while_its_majority_is_at_its_epoch()
    {
        var h = PrimaryAtSix();
        h.Receive(ElectionMessage.Heartbeat(6, "n3", Role.Replica, 10));
        var offer = h.Receive(ElectionMessage.Offer(7, "n2", 10)); // one peer moved on; n3 still at epoch 6
        Assert.Equal([DataNodeAction.Fence], offer.Actions); // fenced at once, not reopened in the same breath
        Assert.Empty(offer.Messages); // sticky: no vote
        Assert.Equal(Role.Primary, h.Elector.Role);
        h.Wait(TimeSpan.FromMilliseconds(1));
        var heard = h.Receive(ElectionMessage.Heartbeat(6, "n3", Role.Replica, 10)); // the majority, heard after the fence
        Assert.Equal([DataNodeAction.Unfence], heard.Actions);
        Assert.Equal((Role.Primary, 6UL), (h.Elector.Role, h.Elector.Epoch));
    }

    [Fact]
    public void Rule10_a_primary_whose_majority_moved_past_its_epoch_steps_down_fenced()
    {
        var h = PrimaryAtSix();
        h.Receive(ElectionMessage.Heartbeat(6, "n3", Role.Replica, 10));
        h.Receive(ElectionMessage.Heartbeat(7, "n2", Role.Replica, 10));
        Assert.Equal(Role.Primary, h.Elector.Role); // n1 and n3 are a majority at epoch 6
        var second = h.Receive(ElectionMessage.Heartbeat(7, "n3", Role.Replica, 10));
        Assert.True(second.Has(ElectorEventKind.SteppedDown));
        Assert.NotEqual(Role.Primary, h.Elector.Role); // it may run at once, in a new epoch: ElectionMessage.Offer(8, ...)
        Assert.Equal(DataNodeIntent.FencedPrimary, h.Elector.Intent); // stays fenced until it follows or wins again
        Assert.Equal(Role.Replica, Assert.Single(second.Sent(Verb.Heartbeat)).Role); // peers forget it at once
    }

    /// <summary>
    /// The peers' down_after runs from the last heartbeat they got, so hearing them is not enough for
    /// the lease: a primary whose data node stops answering stops heartbeating, and must fence within
    /// the lease window of its last heartbeat, even while every peer still heartbeats to it at its
    /// epoch (seen in the simulation: it kept an unfenced intent after its peers elected a successor).
    /// </summary>
    [Fact]
    public void Rule10_a_primary_that_cannot_heartbeat_fences_within_the_lease_window_of_its_last_heartbeat()
    {
        var h = PrimaryAtSix();
        var lastHeartbeat = h.Now;
        var fencedAt = (TimeSpan?)null;
        while (h.Now - lastHeartbeat < h.Timings.DownAfter)
        {
            h.Wait(h.Timings.HeartbeatInterval);
            var step = h.Observe(answered: false); // the data node stopped answering: no more heartbeats
            Assert.Empty(step.Sent(Verb.Heartbeat));
            h.Tick();
            h.Receive(ElectionMessage.Heartbeat(6, "n2", Role.Replica, 10)); // the peers still hear nothing newer
            h.Receive(ElectionMessage.Heartbeat(6, "n3", Role.Replica, 10));
            if (fencedAt is null && h.Elector.Intent == DataNodeIntent.FencedPrimary)
            {
                fencedAt = h.Now;
            }
        }
        Assert.NotNull(fencedAt);
        Assert.True(fencedAt.Value - lastHeartbeat <= h.Timings.LeaseWindow + h.Timings.HeartbeatInterval,
            $"fenced {(fencedAt.Value - lastHeartbeat).TotalMilliseconds} ms after its last heartbeat (lease window {h.Timings.LeaseWindow.TotalMilliseconds} ms)");
        Assert.True(fencedAt.Value - lastHeartbeat > h.Timings.HeartbeatInterval, "one failed probe alone does not fence");

        // The data node answers again: heartbeats resume, and the majority heard after them lifts the fence.
        h.Wait(h.Timings.HeartbeatInterval);
        Assert.Single(h.Observe().Messages.Concat(h.Tick().Messages), m => m.Message.Verb == Verb.Heartbeat);
        h.Wait(TimeSpan.FromMilliseconds(1));
        var heard = h.Receive(ElectionMessage.Heartbeat(6, "n2", Role.Replica, 10));
        Assert.Equal([DataNodeAction.Unfence], heard.Actions);
        Assert.Equal((Role.Primary, DataNodeIntent.Primary), (h.Elector.Role, h.Elector.Intent));
    }

    /// <summary>
    /// After a gap in its heartbeats the peers' down_after ran from the heartbeat before the gap; a peer
    /// heard during the gap may be cut off since (and never get the resumed heartbeat), so the lease
    /// counts only peers heard after the heartbeats resumed (seen in the simulation: a primary cut off
    /// both ways just as its data node came back unfenced on peers heard before, next to a successor).
    /// </summary>
    [Fact]
    public void Rule10_after_a_gap_in_its_heartbeats_the_lease_counts_only_peers_heard_after_they_resumed()
    {
        var h = PrimaryAtSix();
        for (var i = 0; i < 5; i++) // one second without heartbeats, the peers still heard
        {
            h.Wait(h.Timings.HeartbeatInterval);
            h.Observe(answered: false);
            h.Tick();
            h.Receive(ElectionMessage.Heartbeat(6, "n2", Role.Replica, 10));
            h.Receive(ElectionMessage.Heartbeat(6, "n3", Role.Replica, 10));
        }
        Assert.Equal(DataNodeIntent.Primary, h.Elector.Intent); // a short gap alone does not fence
        h.Wait(h.Timings.HeartbeatInterval);
        var resumed = new[] { h.Observe(), h.Tick() };
        Assert.Single(resumed.SelectMany(e => e.Sent(Verb.Heartbeat)));
        Assert.Equal(DataNodeIntent.FencedPrimary, h.Elector.Intent); // nobody heard since: maybe nobody hears it
        h.Wait(TimeSpan.FromMilliseconds(1));
        Assert.Equal([DataNodeAction.Unfence], h.Receive(ElectionMessage.Heartbeat(6, "n3", Role.Replica, 10)).Actions);
    }

    /// <summary>
    /// A vote that reaches a candidate after its election timeout (its process was paused, the vote
    /// waited) wins nothing: the voters' down_after for this candidate has been running meanwhile and a
    /// successor may hold the group; the late win would promote a stale data node (seen in the
    /// simulation's soak, 3:1045700: a candidate paused for 5.5 s promoted its node on resuming).
    /// </summary>
    [Fact]
    public void A_vote_that_arrives_after_the_election_timeout_wins_nothing()
    {
        var h = new ElectorHarness("n1", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Advance(h.Timings.DownAfter + h.Timings.HeartbeatInterval);
        Assert.Equal((Role.Candidate, 6UL), (h.Elector.Role, h.Elector.Epoch));
        h.Wait(h.Timings.ElectionTimeout + TimeSpan.FromMilliseconds(1)); // paused: no tick ran
        var late = h.Receive(ElectionMessage.Accept(6, "n2"));
        Assert.False(late.Has(ElectorEventKind.BecamePrimary));
        Assert.DoesNotContain(late.Actions, a => a.Kind == DataNodeActionKind.Promote);
        Assert.NotEqual(Role.Primary, h.Elector.Role);
    }

    /// <summary>
    /// A candidate that was silent for more than two hb_intervals during its candidacy (its process
    /// paused, the votes waited in its queue) wins nothing even inside the election timeout: its voters
    /// may have elected someone else meanwhile (soak 3:1028933: paused 1.3 s, it resumed to a queue of
    /// votes and promoted a node lacking the successor's acknowledged writes).
    /// </summary>
    [Fact]
    public void A_candidate_silent_during_its_candidacy_wins_nothing()
    {
        var h = new ElectorHarness("n1", Members, stored: new DurableRecord(5, null, null), offset: 10);
        h.Advance(h.Timings.DownAfter + h.Timings.HeartbeatInterval);
        Assert.Equal((Role.Candidate, 6UL), (h.Elector.Role, h.Elector.Epoch));
        h.Wait(TimeSpan.FromMilliseconds(1300)); // paused: no tick, no heartbeat
        var first = h.Receive(ElectionMessage.Accept(6, "n2")); // the vote that waited runs before any tick
        Assert.False(first.Has(ElectorEventKind.BecamePrimary));
        h.Tick(); // heartbeats resume
        var second = h.Receive(ElectionMessage.Accept(6, "n3"));
        Assert.False(second.Has(ElectorEventKind.BecamePrimary));
        Assert.DoesNotContain(first.Actions.Concat(second.Actions), a => a.Kind == DataNodeActionKind.Promote);
    }

    // ---- rule 11: no vote before a probe ----

    [Fact]
    public void Rule11_a_data_member_refuses_offers_until_its_data_node_answered_once()
    {
        var group = new ElectionGroup(MemberList.Parse(Members));
        var config = new ElectorConfig("n3", group, ElectionTimings.Default);
        var start = TimeSpan.FromSeconds(100);
        var n3 = new Elector(config, new DurableRecord(5, null, null), start, new Random(1));

        Assert.Empty(n3.Receive(ElectionMessage.Offer(6, "n1", 10), start).Release().Messages); // unprobed: it may hold more

        n3.ObserveDataNode(answered: true, offset: 5, start + TimeSpan.FromMilliseconds(10)).Release(); // it holds less than n1
        var vote = n3.Receive(ElectionMessage.Offer(7, "n1", 10), start + TimeSpan.FromMilliseconds(20));
        Assert.Equal(ElectionMessage.Accept(7, "n3"), Assert.Single(vote.Committed().Messages).Message);
    }

    [Fact]
    public void Rule11_a_data_member_whose_data_node_stays_silent_for_down_after_votes_as_before()
    {
        var group = new ElectionGroup(MemberList.Parse(Members));
        var config = new ElectorConfig("n3", group, ElectionTimings.Default);
        var start = TimeSpan.FromSeconds(100);
        var n3 = new Elector(config, new DurableRecord(5, null, null), start, new Random(1));
        Assert.Empty(n3.Receive(ElectionMessage.Offer(6, "n1", 10), start + ElectionTimings.Default.DownAfter - TimeSpan.FromMilliseconds(1)).Release().Messages);
        var vote = n3.Receive(ElectionMessage.Offer(7, "n1", 10), start + ElectionTimings.Default.DownAfter);
        Assert.Equal(ElectionMessage.Accept(7, "n3"), Assert.Single(vote.Committed().Messages).Message);
    }

    // ---- the action contract: the elector emits exactly what the host must do ----

    [Fact]
    public void Action_contract_a_fenced_member_that_wins_emits_Promote_alone()
    {
        var h = PrimaryAtSix();
        h.Receive(ElectionMessage.Heartbeat(7, "n2", Role.Replica, 10)); // steps down fenced and runs at epoch 8
        Assert.Equal(DataNodeIntent.FencedPrimary, h.Elector.Intent);
        Assert.Equal(Role.Candidate, h.Elector.Role);
        var won = h.Receive(ElectionMessage.Accept(8, "n2"));
        Assert.True(won.Has(ElectorEventKind.BecamePrimary));
        Assert.Equal([DataNodeAction.Promote], won.Actions); // Promote reopens the node itself; no Unfence for the host to fold
        Assert.Equal(DataNodeIntent.Primary, h.Elector.Intent);
    }
}
