using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// Running for primary: when to run, the run itself, winning and timing out.
public sealed partial class Elector
{
    /// <summary>Timers that the passage of time alone can fire; called after every input.</summary>
    private void EvaluateTimers()
    {
        EvaluateHandover();
        switch (_role)
        {
            case Role.Candidate when _now - _candidacyStartedAt >= _timings.ElectionTimeout:
                GiveUpCandidacy();
                break;
            case Role.Primary:
                FenceResumedPrimary();
                UpdateLease();
                break;
            case Role.Replica:
                if (!_paused && CanRun())
                {
                    StartCandidacy();
                }
                break;
        }
    }

    private bool CanRun()
    {
        if (_config.IsWitness || !DataNodeServing || _now < _backoffUntil || BallotBindsAgainst(Self))
        {
            return false; // (rule 15: a member that voted for another one does not run while that vote binds)
        }
        if (!HandoverAllowsRun(out var handedOver))
        {
            return false;
        }
        var primaryGone = handedOver || _primary is null
            ? _now - _startedAt >= _timings.DownAfter // cold-start grace
            : IsPrimaryDown();
        if (!primaryGone)
        {
            EndDecline();
            return false;
        }
        return IsBestCandidate() && PolicyAllowsRun() && FlappingAllowsRun();
    }

    private bool IsPrimaryDown()
    {
        if (PrimaryCertainlyDead)
        {
            return true; // rule 14: no need to wait down_after for a primary whose data node is gone
        }
        var lastHeard = _peers.TryGetValue(_primary!, out var p) ? p.LastHeard : null;
        var since = lastHeard is { } t && t > _primaryKnownSince ? t : _primaryKnownSince;
        return _now - since >= _timings.DownAfter;
    }

    /// <summary>
    /// No up member (heard within down_after; the old primary excluded) has a higher offset, or an
    /// equal offset and a higher priority or lower id. Never-heard members, witnesses and NoFailover members are ignored.
    /// </summary>
    private bool IsBestCandidate()
    {
        foreach (var peer in _peerList)
        {
            if (peer.Id == _primary || !peer.HeardWithin(_now, _timings.DownAfter) || IsCertainlyDead(peer))
            {
                continue;
            }
            // A plan's target ignores offset ties once the primary it followed is gone: only a higher offset stops it.
            if (PeerOutranks(peer) && !(PlannedPrimaryGone && peer.Offset == _ownOffset))
            {
                return false;
            }
        }
        return true;
    }

    private void StartCandidacy()
    {
        // One above the highest epoch heard, not just our own: a run from a stale epoch would be
        // refused by every member that moved on, costing a whole timeout and backoff.
        var highest = Math.Max(_epoch, _highestEpochSeen);
        if (highest >= Epochs.Ceiling - 1)
        {
            // Rule 9: the next epoch would be invalid. Never run; say so once a backoff.
            _backoffUntil = _now + _timings.MaxBackoff;
            _out.Note(new ElectorEvent(ElectorEventKind.EpochExhausted, _epoch, Self, $"epoch {highest} + 1 would reach the ceiling 2^63; not running"));
            return;
        }
        _epoch = checked(highest + 1);
        _highestEpochSeen = _epoch;
        _vote = new Vote(_epoch, Self);
        Persist();
        _role = Role.Candidate;
        _candidacyStartedAt = _now;
        _votesReceived.Clear();
        _votesReceived.Add(Self);
        _out.Note(new ElectorEvent(ElectorEventKind.BecameCandidate, _epoch, Self, _primary is null ? "no primary known" : $"primary '{_primary}' is down"));
        _out.Broadcast(ElectionMessage.Offer(_epoch, Self, _ownOffset));
        // A run started between ticks (a notice of certain death, a wake-up) heartbeats now if one is due, so that
        // the votes are not taken for those of a silent candidate (OnAccept) because the last tick was late.
        SendHeartbeatIfDue();
        if (_votesReceived.Count >= Quorum)
        {
            BecomePrimary();
        }
    }

    private void BecomePrimary()
    {
        _role = Role.Primary;
        _primary = Self;
        _primaryEpoch = _epoch;
        _primaryKnownSince = _now;
        _lastPrimaryClaim = _now;
        _lastAnnouncement = new Announcement(_epoch, Self);
        _votesReceived.Clear();
        Persist();
        _out.Note(new ElectorEvent(ElectorEventKind.BecamePrimary, _epoch, Self));
        NotePrimaryAt(_epoch, planned: IsHandoverTarget);
        EndHandoverOnNewPrimary(Self);
        // Promote alone: it reopens a node still fenced from an earlier primaryship, in the safe order
        // (a Redis UNPAUSE only after its REPLICAOF NO ONE). A separate Unfence first could let writes the
        // fence held back land on the node while it still replicated from a stale master.
        _fenced = false;
        _higherEpochHeardAt = null; // nothing heard so far is above the epoch just won
        _heartbeatsResumedAt = null; // the votes just counted heard this node's candidacy
        _out.Act(DataNodeAction.Promote);
        _out.Broadcast(ElectionMessage.Announce(_epoch, Self, _config.OwnClientAddress));
        // Tell everyone our new role at once rather than at the next tick.
        SendHeartbeat();
    }

    /// <summary>Back to replica, and no run of its own before the backoff (with its seeded jitter) is over.</summary>
    private void EndCandidacyWithBackoff()
    {
        _role = Role.Replica;
        _votesReceived.Clear();
        var jitter = TimeSpan.FromTicks((long)(_random.NextDouble() * _timings.BackoffJitter.Ticks));
        _backoffUntil = _now + _timings.Backoff + jitter;
    }

    private void GiveUpCandidacy()
    {
        EndCandidacyWithBackoff();
        _out.Note(new ElectorEvent(ElectorEventKind.CandidacyTimedOut, _epoch, Self, $"backing off {(_backoffUntil - _now).TotalMilliseconds:0} ms"));
    }
}
