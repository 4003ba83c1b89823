using KevyOrleans.Election.Tests.Support;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// Who may become primary (issue 15, item 2), one elector at a time: NoFailover, Priority and
/// MaximumLagOnFailover, one rule per test. The group is n1 (primary at epoch 2), n2 and n3.
/// </summary>
public sealed class EligibilityRuleTests
{
    private const string Members = "n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003";

    private static FailoverPolicy Policy(ulong? maximumLag = null, params (string Id, bool NoFailover, int Priority)[] members) => new()
    {
        MaximumLag = maximumLag,
        Members = members.ToDictionary(m => m.Id, m => new MemberFailover(m.NoFailover, m.Priority), StringComparer.Ordinal),
    };

    /// <summary>The elector of <paramref name="self"/>, following primary n1 (epoch 2), which last reported <paramref name="primaryOffset"/>.</summary>
    private static ElectorHarness Following(string self, ulong offset, FailoverPolicy policy, ulong primaryOffset = 0)
    {
        var h = new ElectorHarness(self, Members, offset: offset, failover: policy);
        h.Receive(ElectionMessage.Announce(2, "n1", "h:6001"));
        h.Receive(ElectionMessage.Heartbeat(2, "n1", Role.Primary, Math.Max(primaryOffset, offset)));
        Assert.Equal("n1", h.Elector.KnownPrimary);
        return h;
    }

    /// <summary>A voter at epoch 5 in its cold-start grace (it does not run), its data node answering: it defends its offset.</summary>
    private static ElectorHarness Voter(string self, ulong offset, FailoverPolicy policy) =>
        new(self, Members, stored: new DurableRecord(5, null, null), offset: offset, failover: policy);

    /// <summary>n1 is silent from now on; the members in <paramref name="live"/> heartbeat every hb_interval with their offsets.</summary>
    private static List<Effects> PrimaryDies(ElectorHarness h, params (string Id, ulong Offset)[] live)
    {
        var all = new List<Effects>();
        for (var t = TimeSpan.Zero; t < h.Timings.DownAfter * 2; t += h.Timings.HeartbeatInterval)
        {
            foreach (var (id, offset) in live)
            {
                all.Add(h.Receive(ElectionMessage.Heartbeat(2, id, Role.Replica, offset)));
            }
            all.AddRange(h.Advance(h.Timings.HeartbeatInterval));
            if (h.Elector.Role == Role.Candidate)
            {
                break;
            }
        }
        return all;
    }

    // ---- NoFailover ----

    [Fact]
    public void A_NoFailover_member_never_runs_though_it_is_the_best_candidate_and_says_so_once()
    {
        var h = Following("n2", offset: 100, Policy(null, ("n2", true, 0)));
        var fx = PrimaryDies(h, ("n3", 50));
        Assert.Empty(fx.All(Verb.Offer));
        var declined = Assert.Single(fx.SelectMany(e => e.Events), e => e.Kind == ElectorEventKind.FailoverDeclined);
        Assert.Contains("NoFailover", declined.Detail, StringComparison.Ordinal);
        Assert.Contains("1 member(s) that may become primary are up", declined.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void When_only_NoFailover_members_are_up_the_decline_says_the_group_has_no_primary()
    {
        var h = Following("n2", offset: 100, Policy(null, ("n2", true, 0)));
        var fx = PrimaryDies(h); // n3 is down too
        Assert.Empty(fx.All(Verb.Offer));
        var declined = Assert.Single(fx.SelectMany(e => e.Events), e => e.Kind == ElectorEventKind.FailoverDeclined);
        Assert.Contains("no member that may become primary is up", declined.Detail, StringComparison.Ordinal);
        Assert.Equal(new FailoverEligibility(true, 0, "NoFailover: this member never becomes primary", 0), h.Elector.GetEligibility(h.Now));
    }

    [Fact]
    public void The_others_skip_a_NoFailover_member_that_is_ahead_of_them()
    {
        // Liveness: by kevy's order n2 (offset 100) would be best, and n3 would wait for it forever.
        var h = Following("n3", offset: 50, Policy(null, ("n2", true, 0)));
        var fx = PrimaryDies(h, ("n2", 100));
        Assert.Single(fx.All(Verb.Offer));
        Assert.Equal(Role.Candidate, h.Elector.Role);
    }

    [Fact]
    public void A_NoFailover_voter_does_not_defend_its_offset()
    {
        var h = Voter("n2", offset: 100, Policy(null, ("n2", true, 0)));
        Assert.Single(h.Receive(ElectionMessage.Offer(6, "n3", 50)).Sent(Verb.Accept));
    }

    [Fact]
    public void Hosted_voters_never_vote_for_a_NoFailover_candidate()
    {
        // n3 is an external kevy server marked NoFailover: it may run by kevy's rule, but gets no hosted vote.
        var h = Voter("n2", offset: 10, Policy(null, ("n3", true, 0)));
        Assert.Empty(h.Receive(ElectionMessage.Offer(6, "n3", 50)).Messages);
        Assert.Equal(0, h.Writes);
    }

    [Fact]
    public void A_planned_switchover_to_a_NoFailover_member_is_refused()
    {
        var h = Following("n2", offset: 10, Policy(null, ("n3", true, 0)));
        var e = Assert.Throws<ArgumentException>(() => h.PlanHandover("n3", TimeSpan.FromSeconds(5)));
        Assert.Contains("NoFailover", e.Message, StringComparison.Ordinal);
    }

    // ---- Priority ----

    [Fact]
    public void At_an_equal_offset_the_higher_priority_runs_and_the_lower_id_waits()
    {
        var policy = Policy(null, ("n3", false, 10));
        var n2 = Following("n2", offset: 70, policy);
        Assert.Empty(PrimaryDies(n2, ("n3", 70)).All(Verb.Offer));
        var n3 = Following("n3", offset: 70, policy);
        Assert.Single(PrimaryDies(n3, ("n2", 70)).All(Verb.Offer));
    }

    [Fact]
    public void A_higher_offset_still_beats_a_higher_priority()
    {
        var n2 = Following("n2", offset: 71, Policy(null, ("n3", false, 10)));
        Assert.Single(PrimaryDies(n2, ("n3", 70)).All(Verb.Offer));
    }

    [Fact]
    public void A_voter_gives_an_offset_tie_to_the_higher_priority_and_defends_its_own()
    {
        var low = Voter("n2", offset: 70, Policy(null, ("n3", false, 10)));
        Assert.Single(low.Receive(ElectionMessage.Offer(6, "n3", 70)).Sent(Verb.Accept)); // kevy's id rule would refuse

        var high = Voter("n2", offset: 70, Policy(null, ("n2", false, 10), ("n1", false, 5)));
        Assert.Empty(high.Receive(ElectionMessage.Offer(6, "n3", 70)).Messages); // n2 would win the tie by priority
        Assert.Empty(high.Receive(ElectionMessage.Offer(7, "n1", 70)).Messages); // and against n1's 5

        var kevy = Voter("n2", offset: 70, Policy());
        Assert.Empty(kevy.Receive(ElectionMessage.Offer(6, "n3", 70)).Messages); // equal priorities: kevy's id rule
    }

    // ---- MaximumLagOnFailover ----

    [Fact]
    public void A_member_further_behind_the_failed_primary_than_the_limit_does_not_run()
    {
        var h = Following("n2", offset: 100, Policy(maximumLag: 50), primaryOffset: 200);
        var fx = PrimaryDies(h, ("n3", 90));
        Assert.Empty(fx.All(Verb.Offer));
        var declined = Assert.Single(fx.SelectMany(e => e.Events), e => e.Kind == ElectorEventKind.FailoverDeclined);
        Assert.Contains("100 bytes behind the best known offset 200", declined.Detail, StringComparison.Ordinal);
        Assert.Contains("no member that may become primary is up", declined.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_within_the_limit_runs()
    {
        var h = Following("n2", offset: 150, Policy(maximumLag: 50), primaryOffset: 200);
        Assert.Single(PrimaryDies(h, ("n3", 90)).All(Verb.Offer));
    }

    [Fact]
    public void Without_a_limit_the_lag_does_not_matter()
    {
        var h = Following("n2", offset: 1, Policy(), primaryOffset: 1_000_000);
        Assert.Single(PrimaryDies(h, ("n3", 0)).All(Verb.Offer));
    }

    // ---- configuration ----

    [Theory]
    [InlineData("n1,n2,n3", null, "every data member is NoFailover")]
    [InlineData("w9", null, "'w9' is a witness")]
    [InlineData("x1", null, "'x1' is not in the member list")]
    [InlineData("", 1001, "priority 1001")]
    [InlineData("", -1, "priority -1")]
    public void A_policy_that_does_not_fit_the_group_is_refused(string noFailover, int? priority, string expected)
    {
        var group = new ElectionGroup(MemberList.Parse(Members + ",w9@h:7009"), ["w9"]);
        var members = noFailover.Split(',', StringSplitOptions.RemoveEmptyEntries).ToDictionary(id => id, _ => new MemberFailover(NoFailover: true), StringComparer.Ordinal);
        if (priority is { } p)
        {
            members["n1"] = new MemberFailover(Priority: p);
        }
        var e = Assert.Throws<ArgumentException>(() => new ElectorConfig("n1", group) { Failover = new FailoverPolicy { Members = members } });
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
