using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// Rule 15, the ballot binds: a member that voted backs no other candidate for down_after, unless the one
/// it voted for shows it did not win. Found by the soak (3:5042227, 3:6044856): a voter that knew no primary
/// voted for n3 in epoch 3 and, milliseconds later, for n1 in epoch 4; both won, and n3's lease counted
/// the first vote for its whole window while n1 took writes.
/// </summary>
public sealed class BallotRuleTests
{
    private const string Members = "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003";

    private static ElectorHarness Voter() =>
        new("n2", Members, stored: new DurableRecord(2, null, null), offset: 1);

    [Fact]
    public void A_voter_refuses_a_second_candidate_while_its_first_may_have_won()
    {
        var h = Voter();
        Assert.Single(h.Receive(ElectionMessage.Offer(3, "n3", 2)).Sent(Verb.Accept));
        h.Wait(TimeSpan.FromMilliseconds(13));
        var second = h.Receive(ElectionMessage.Offer(4, "n1", 3));
        Assert.Empty(second.Sent(Verb.Accept));
        Assert.Equal(new Vote(3, "n3"), h.Stored!.Vote);
    }

    [Fact]
    public void The_ballot_is_released_when_its_candidate_heartbeats_as_a_replica()
    {
        var h = Voter();
        h.Receive(ElectionMessage.Offer(3, "n3", 2));
        h.Receive(ElectionMessage.Heartbeat(3, "n3", Role.Replica, 2)); // its candidacy ended without a win
        Assert.Single(h.Receive(ElectionMessage.Offer(4, "n1", 3)).Sent(Verb.Accept));
    }

    [Fact]
    public void A_heartbeat_from_before_the_candidacy_releases_nothing()
    {
        var h = Voter();
        h.Receive(ElectionMessage.Offer(3, "n3", 2));
        h.Receive(ElectionMessage.Heartbeat(2, "n3", Role.Replica, 2)); // sent before its OFFER, delivered late
        Assert.Empty(h.Receive(ElectionMessage.Offer(4, "n1", 3)).Sent(Verb.Accept));
    }

    [Fact]
    public void The_ballot_binds_for_down_after_then_lapses()
    {
        var h = Voter();
        h.Receive(ElectionMessage.Offer(3, "n3", 2));
        h.Advance(h.Timings.DownAfter - h.Timings.HeartbeatInterval);
        Assert.Empty(h.Receive(ElectionMessage.Offer(4, "n1", 3)).Sent(Verb.Accept));
        h.Advance(h.Timings.HeartbeatInterval);
        Assert.Single(h.Receive(ElectionMessage.Offer(5, "n1", 3)).Sent(Verb.Accept));
    }

    [Fact]
    public void The_same_candidate_running_again_gets_the_vote()
    {
        var h = Voter();
        h.Receive(ElectionMessage.Offer(3, "n3", 2));
        Assert.Single(h.Receive(ElectionMessage.Offer(4, "n3", 2)).Sent(Verb.Accept));
    }

    [Fact]
    public void A_bound_voter_does_not_run_itself()
    {
        // n2 votes early in its cold-start grace; when the grace ends it holds the best offset and knows no
        // primary, so only the ballot keeps it from running until down_after after its vote.
        var h = Voter();
        h.Wait(2 * h.Timings.HeartbeatInterval);
        Assert.Single(h.Receive(ElectionMessage.Offer(3, "n3", 5)).Sent(Verb.Accept));
        h.Offset = 9; // it received more of the old primary's stream than it had when it voted
        Assert.Empty(h.Advance(h.Timings.DownAfter - h.Timings.HeartbeatInterval).All(Verb.Offer));
        Assert.NotEmpty(h.Advance(2 * h.Timings.HeartbeatInterval).All(Verb.Offer));
    }

    [Fact]
    public void Learning_a_primary_of_the_ballots_epoch_hands_over_to_the_sticky_primary_rule()
    {
        var h = Voter();
        h.Receive(ElectionMessage.Offer(3, "n3", 2));
        h.Receive(ElectionMessage.Heartbeat(3, "n3", Role.Primary, 2));
        h.Receive(ElectionMessage.Heartbeat(3, "n1", Role.Replica, 3)); // n1 is ahead: n2 will not run itself
        Assert.Equal("n3", h.Elector.KnownPrimary);
        Assert.Empty(h.Receive(ElectionMessage.Offer(4, "n1", 3)).Sent(Verb.Accept)); // sticky to n3 now
        h.PeerDied("n3", 3, Role.Primary); // rule 14: a certainly dead primary holds nobody
        h.Observe(); // (a vote after a notice waits for a probe of its own)
        h.Receive(ElectionMessage.Offer(5, "n1", 3));
        Assert.Equal("n1", h.Stored!.Vote!.Candidate); // the refused OFFER reconsidered, or the new one

    }

    [Fact]
    public void A_ballot_of_unknown_outcome_binds_after_a_restart()
    {
        var h = Voter();
        h.Receive(ElectionMessage.Offer(3, "n3", 2));
        h.Restart();
        Assert.Empty(h.Receive(ElectionMessage.Offer(4, "n1", 3)).Sent(Verb.Accept));
        h.Receive(ElectionMessage.Heartbeat(3, "n3", Role.Replica, 2));
        Assert.Single(h.Receive(ElectionMessage.Offer(5, "n1", 3)).Sent(Verb.Accept));
    }

    /// <summary>
    /// Soak seed 3:9058788 (S7): a member that restarted knew its primary only from storage, had not heard it
    /// yet (so nothing was sticky) nor the notice of its death, and voted for a survivor on its first probe,
    /// taken before a write it then received and acknowledged. A restarted member backs its stored primary as
    /// if it had just heard it: for down_after from its start, unless that primary is heard (the sticky rule
    /// takes over), says it is not primary, or is certainly dead (and then only on a probe after the notice).
    /// </summary>
    [Fact]
    public void A_restarted_member_backs_its_stored_primary_for_down_after()
    {
        var h = new ElectorHarness("n2", Members, stored: new DurableRecord(3, new Vote(3, "n3"), new Announcement(3, "n3")), offset: 1);
        h.Receive(ElectionMessage.Heartbeat(3, "n1", Role.Replica, 3)); // n1 is ahead: n2 will not run itself
        Assert.Empty(h.Receive(ElectionMessage.Offer(4, "n1", 3)).Sent(Verb.Accept));
        for (var i = 0; i < 10; i++)
        {
            h.Receive(ElectionMessage.Heartbeat(4, "n1", Role.Replica, 3));
            h.Advance(h.Timings.DownAfter / 10); // n3 silent since the start: down at the end
        }
        Assert.Single(h.Receive(ElectionMessage.Offer(5, "n1", 3)).Sent(Verb.Accept));
    }

    [Fact]
    public void A_restarted_member_released_by_its_stored_primary_stepping_down_votes_at_once()
    {
        var h = new ElectorHarness("n2", Members, stored: new DurableRecord(3, new Vote(3, "n3"), new Announcement(3, "n3")), offset: 1);
        h.Receive(ElectionMessage.Heartbeat(3, "n3", Role.Replica, 2)); // it restarted too: not primary any more
        Assert.Single(h.Receive(ElectionMessage.Offer(4, "n1", 3)).Sent(Verb.Accept));
    }
}
