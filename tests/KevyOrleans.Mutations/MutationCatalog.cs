namespace KevyOrleans.Mutations;

/// <summary>One textual edit: in <paramref name="File"/> (relative to the repository), <paramref name="Find"/> becomes <paramref name="Replace"/>.</summary>
internal sealed record Edit(string File, string Find, string Replace);

/// <summary>A deliberate break of one safety rule of the elector, and the rule it breaks.</summary>
internal sealed record Mutation(string Name, string Breaks, IReadOnlyList<Edit> Edits);

/// <summary>
/// The mutations of issue 16: each must make the simulation fail for every group size (3, 5, 7).
/// Every find-text must occur exactly once in the current sources (checked by a unit test in
/// KevyOrleans.Election.Tests, so the list cannot rot silently).
/// </summary>
internal static class MutationCatalog
{
    private const string Elector = "src/KevyOrleans.Election/Elector.cs";
    private const string Messages = "src/KevyOrleans.Election/Elector.Messages.cs";
    private const string Handover = "src/KevyOrleans.Election/Elector.Handover.cs";
    private const string Primary = "src/KevyOrleans.Election/Elector.Primary.cs";
    private const string Candidacy = "src/KevyOrleans.Election/Elector.Candidacy.cs";
    private const string Eligibility = "src/KevyOrleans.Election/Elector.Eligibility.cs";
    private const string LeaseEcho = "src/KevyOrleans.Election/Elector.LeaseEcho.cs";
    private const string CertainDeath = "src/KevyOrleans.Election/Elector.CertainDeath.cs";
    private const string Ballot = "src/KevyOrleans.Election/Elector.Ballot.cs";

    public static IReadOnlyList<Mutation> All { get; } =
    [
        new("no-persist-before-vote", "persistence rule: (epoch, vote) durable before the ACCEPT",
            [new(Messages, "_vote = new Vote(offer.Epoch, peer.Id);\n        Persist();", "_vote = new Vote(offer.Epoch, peer.Id);")]),
        new("vote-twice", "one vote per member per epoch",
            [new(Messages, "if (epoch <= _epoch || (_vote is { } v && v.Epoch >= epoch))", "if (epoch < _epoch)")]),
        new("epoch-reset-on-restart", "after a restart, epoch = max(1, saved epoch)",
            [new(Elector, "_epoch = Math.Max(1, saved.Epoch);", "_epoch = 1;")]),
        new("quorum-minus-one", "quorum = N/2 + 1 (votes and lease)",
            [new(Elector, "private int Quorum => _config.Group.Quorum;", "private int Quorum => _config.Group.Quorum - 1;")]),
        new("no-offset-defence", "a voter refuses a candidate with a lower offset",
            [new(Messages, "if (_ownOffset > candidateOffset)", "if (_ownOffset > candidateOffset && _ownOffset == candidateOffset)")]),
        new("lease-counts-newer-epoch-peers", "rule 10: the lease counts only peers at or below the primary's epoch; a higher epoch fences at once",
            [
                new(Primary, "_now - proof < _timings.LeaseWindow && peer.Epoch <= _epoch", "_now - proof < _timings.LeaseWindow"),
                new(Elector, "if (_role == Role.Primary && message.Epoch > _epoch)", "if (_role == Role.Primary && message.Epoch > _epoch && message.Epoch == 0)"),
            ]),
        new("lease-without-own-heartbeat", "rule 10: the lease also needs a heartbeat of the primary's own within the lease window",
            [
                new(Primary, "var hasMajority = heartbeating && VisibleForLease(LeaseCountsPeersHeardAfter)", "var hasMajority = VisibleForLease(_higherEpochHeardAt)"),
            ]),
        new("lease-from-arrival", "the lease counts a hosted peer from the heartbeat it echoes, not from its frame's arrival",
            [new(LeaseEcho, "peer.Echoes ? peer.ProvenReachedAt : peer.LastHeard;", "peer.LastHeard;")]),
        new("follow-superseded-primary", "a replica never follows a primary older than the last announcement it knows",
            [new(Messages, "epoch >= known.Epoch))", "epoch >= known.Epoch || known.Epoch > epoch))")]),
        new("late-vote-wins", "a vote that reaches a candidate after its election timeout wins nothing",
            [new(Messages, "if (_now - _candidacyStartedAt >= _timings.ElectionTimeout)\n        {\n            return; // too late", "if (_now < TimeSpan.MinValue)\n        {\n            return; // too late")]),
        new("silent-candidate-wins", "a candidate silent for more than 2 x hb during its candidacy wins nothing",
            [new(Messages, "if ((_heartbeatsResumedAt is { } resumed && resumed > _candidacyStartedAt)\n            || (_lastHeartbeatSent is { } sent && _now - sent > 2 * _timings.HeartbeatInterval))", "if (_now < TimeSpan.Zero)")]),
        new("epoch-wrap-no-ceiling", "rule 9: epochs at or above 2^63 are dropped; epoch arithmetic is checked",
            [
                new(Elector, "if (!Epochs.IsValid(message.Epoch))", "if (message.Epoch == 0 && !Epochs.IsValid(message.Epoch))"),
                new(Candidacy, "if (highest >= Epochs.Ceiling - 1)", "if (highest == 0 && highest >= Epochs.Ceiling - 1)"),
                new(Candidacy, "_epoch = checked(highest + 1);", "_epoch = unchecked(highest + 1);"),
            ]),
        new("vote-before-first-probe", "rule 11: a data member votes only once its data node answered in this activation",
            [new(Messages, "if (!MayVote)", "if (!MayVote && MayVote)")]),
        new("step-down-on-failed-fence", "issue 9 item 6: the switchover hands over only after a confirmed fence",
            [
                new(Handover, "&& _fenceConfirmedAt is { } fenced && fenced >= plan.PlannedAt\n        && _dataNodeAnsweredAt is { } probed && probed > fenced",
                    "&& _dataNodeAnsweredAt is { } probed && probed > plan.PlannedAt"),
                new(Handover, "if (!confirmed && HandingOver)", "if (!confirmed && HandingOver && _fenceConfirmedAt is { } never && never < TimeSpan.MinValue)"),
            ]),
        new("dead-member-votes", "rule 14: a member whose data node is certainly dead votes for nobody until it answers or down_after passes",
            [new(CertainDeath, "private bool AbstainsForDeath => _deathAnnounced && DataNodeHealthy;", "private bool AbstainsForDeath => false;")]),
        new("vote-on-probe-before-notice", "rule 14: after a notice of certain death a member that knows no primary votes only on a probe answered since",
            [new(CertainDeath, "!_config.IsWitness && _peerList.Any(peer => IsCertainlyDead(peer) && _answers <= peer.AnswersAtNotice);", "false;")]),
        new("echo-a-dead-primary", "rule 14: a member holding a notice of its primary's certain death echoes none of its heartbeats (its patience no longer runs)",
            [new(LeaseEcho, "hb.Epoch == _primaryEpoch && !IsCertainlyDead(peer))", "hb.Epoch == _primaryEpoch)")]),
        new("restarted-member-backs-nobody", "rule 15: a restarted member backs its stored primary for down_after unless it hears it, it steps down or it is certainly dead",
            [new(Ballot, "else if (_lastAnnouncement is { } known && known.Primary != Self)", "else if (_lastAnnouncement is { } known && known.Primary != Self && _now < TimeSpan.Zero)")]),
        new("ballot-does-not-bind", "rule 15: a voter backs no other candidate (nor runs) for down_after after its vote, unless its candidate did not win",
            [new(Ballot, "if (_ballot is not { } b || b.Candidate == candidate)", "if (_ballot is not { } b || b.Candidate != null)")]),
        new("nofailover-runs", "issue 15: a NoFailover member never runs for primary, and hosted voters never vote for one (each layer alone holds E1)",
            [
                new(Eligibility, "if (Policy.IsNoFailover(Self))", "if (Policy.IsNoFailover(Self) && _now < TimeSpan.Zero)"),
                new(Eligibility, "private bool PolicyRefuses(string candidate) => Policy.IsNoFailover(candidate);", "private bool PolicyRefuses(string candidate) => candidate.Length == 0;"),
            ]),
        new("nofailover-in-candidate-order", "issue 15: the candidate order skips NoFailover members, so one ahead of the others does not stall the group",
            [new(Eligibility, "!peer.IsWitness && !Policy.IsNoFailover(peer.Id)\n", "!peer.IsWitness\n")]),
        new("nofailover-defends-offset", "issue 15: a NoFailover voter does not refuse a less advanced candidate (it could never take over on its offset)",
            [new(Eligibility, "DataNodeHealthy && !Policy.IsNoFailover(Self);", "DataNodeHealthy;")]),
    ];
}
