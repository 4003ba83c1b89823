using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// Handling of the four received messages.
public sealed partial class Elector
{
    private void OnHeartbeat(MemberView peer, in ElectionMessage hb)
    {
        var wasRival = peer.Role == Role.Candidate && hb.Epoch == _epoch; // it offered this epoch (Elector.Duel.cs)
        peer.Epoch = hb.Epoch;
        peer.Role = hb.Role;
        peer.Offset = hb.ReplOffset;
        if (hb.Role == Role.Primary)
        {
            OnPrimaryClaim(peer.Id, hb.Epoch);
        }
        else if (peer.Id == _primary && (hb.Epoch > _primaryEpoch || (hb.Epoch == _primaryEpoch && hb.Role == Role.Replica)))
        {
            // Our primary says it is not primary any more (it restarted: write authority comes only
            // from an election). Waiting for it to go DOWN would never end, since it keeps talking.
            _out.Note(new ElectorEvent(ElectorEventKind.PrimaryLost, _epoch, peer.Id, $"it now reports {hb.Role.ToWire()} at epoch {hb.Epoch}"));
            _primary = null;
            _lastPrimaryClaim = null;
        }
        ReleaseBallotOnHeartbeat(peer, hb);
        OnStamp(peer, hb);
        OnRivalStoodDown(peer, wasRival, hb);
    }

    private void OnPrimaryClaim(string claimant, ulong epoch)
    {
        if (claimant == _primary)
        {
            _lastPrimaryClaim = _now;
        }
        if (epoch > _epoch)
        {
            // A primary of a higher epoch: adopt the epoch durably (no vote), follow it, step down.
            RaiseEpoch(epoch);
            Persist();
            AdoptPrimary(claimant, epoch, "heartbeat of a higher epoch");
        }
        else if (epoch == _epoch && _role == Role.Candidate)
        {
            // Someone already won the epoch this node is running in.
            AdoptPrimary(claimant, epoch, "won this node's candidacy epoch");
        }
        else if (_role == Role.Primary && epoch > _primaryEpoch)
        {
            // A primary of a newer epoch than ours (ours was won earlier): it supersedes us.
            AdoptPrimary(claimant, epoch, "heartbeat of a newer primary");
        }
        else if (_role == Role.Primary && epoch == _primaryEpoch && claimant != Self)
        {
            _out.Note(new ElectorEvent(ElectorEventKind.ConflictingPrimary, epoch, claimant, "it claims primary in this node's own epoch"));
        }
        else if (_role == Role.Replica && claimant != _primary && (_primary is null || epoch > _primaryEpoch)
            && (_lastAnnouncement is not { } known || epoch >= known.Epoch))
        {
            // Bootstrap (kevy: a primary at my epoch while I know none), widened to any primary newer than
            // the one I know, so a member whose epoch a failed candidacy raised still finds the primary;
            // never one older than the last announcement known: that one was superseded, and following it
            // would resync the data node to a history without the writes acknowledged since.
            AdoptPrimary(claimant, epoch, "heartbeat");
        }
    }

    private void OnOffer(MemberView peer, in ElectionMessage offer)
    {
        peer.Epoch = offer.Epoch;
        peer.Role = Role.Candidate;
        peer.Offset = offer.ReplOffset;
        if (StandsDownFor(peer, offer))
        {
            StandDown(peer);
            return;
        }
        if (!ShouldVoteFor(peer.Id, offer.Epoch, offer.ReplOffset))
        {
            RememberRefusedOffer(peer, offer); // rule 14: reconsidered if the primary turns out certainly dead
            return;
        }
        RaiseEpoch(offer.Epoch);
        CastBallot(peer.Id, offer.Epoch);
        _vote = new Vote(offer.Epoch, peer.Id);
        Persist();
        if (_role != Role.Replica)
        {
            // A candidate, or a fenced primary, that backs a successor stops claiming its role. A fenced
            // primary's data node stays fenced until the new primary is known (then it follows).
            _role = Role.Replica;
            _votesReceived.Clear();
            if (_primary == Self)
            {
                _primary = null;
                _lastPrimaryClaim = null;
            }
            _out.Note(new ElectorEvent(ElectorEventKind.SteppedDown, _epoch, peer.Id, "voted for a candidate of a higher epoch"));
        }
        _out.Note(new ElectorEvent(ElectorEventKind.VoteCast, _epoch, peer.Id));
        _out.Send(peer.Id, ElectionMessage.Accept(_epoch, Self));
    }

    private bool ShouldVoteFor(string candidate, ulong epoch, ulong candidateOffset)
    {
        if (epoch <= _epoch || (_vote is { } v && v.Epoch >= epoch))
        {
            return false; // stale, or this epoch's vote is spent
        }
        if (_role == Role.Primary && (!_fenced || VisibleForLease() >= Quorum))
        {
            return false; // a primary that sees its majority at its epoch is alive: sticky (a fence of rule 10 changes nothing)
        }
        if (!MayVote)
        {
            return false; // rule 11: the data node has not answered yet in this activation; it may hold more
        }
        if (AbstainsForDeath)
        {
            return false; // rule 14: its data node is certainly dead; its last probe may miss acknowledged writes
        }
        if (AwaitsProbeAfterNotice)
        {
            return false; // rule 14: a peer's data node died since the last probe; the next one is final
        }
        if (_primary is not null && _primary != candidate && _lastPrimaryClaim is { } heard && _now - heard < _timings.DownAfter
            && !PrimaryCertainlyDead)
        {
            return false; // sticky primary (rule 2): I still hear the primary
        }
        if (BallotBindsAgainst(candidate))
        {
            return false; // rule 15: the candidate it voted for may have won; its lease counts that vote
        }
        if (PolicyRefuses(candidate))
        {
            return false; // NoFailover: hosted voters never make it primary
        }
        // A witness, a node whose data node is silent, or a NoFailover node has no offset worth defending.
        if (DefendsOwnOffset)
        {
            if (_ownOffset > candidateOffset)
            {
                return false; // a better candidate exists: me
            }
            if (_ownOffset == candidateOffset && WinsTieAgainst(candidate) && !TieGoesToTarget(candidate))
            {
                return false; // I would win the tie
            }
        }
        return true;
    }

    /// <summary>Every epoch adoption: never below the stored epoch (rule 9), and only valid epochs reach here.</summary>
    private void RaiseEpoch(ulong epoch)
    {
        if (epoch > _epoch)
        {
            _epoch = epoch;
        }
    }

    private void OnAccept(MemberView peer, in ElectionMessage accept)
    {
        if (_role != Role.Candidate || accept.Epoch != _epoch)
        {
            return;
        }
        if (_now - _candidacyStartedAt >= _timings.ElectionTimeout)
        {
            return; // too late (a paused process): the voters' down_after ran meanwhile; the timer ends the run
        }
        if ((_heartbeatsResumedAt is { } resumed && resumed > _candidacyStartedAt)
            || (_lastHeartbeatSent is { } sent && _now - sent > 2 * _timings.HeartbeatInterval))
        {
            return; // silent for more than 2 x hb during the run (paused): the voters may have moved on
        }
        _votesReceived.Add(peer.Id);
        Proven(peer, _candidacyStartedAt); // the vote proves the OFFER, sent then, arrived
        if (_votesReceived.Count >= Quorum)
        {
            BecomePrimary();
        }
    }

    private void OnAnnounce(MemberView peer, in ElectionMessage announce)
    {
        var epoch = announce.Epoch;
        var winner = peer.Id; // the sender is new_primary_id
        if (epoch < _epoch || (epoch <= _epoch && winner == _primary))
        {
            return; // stale or already known
        }
        var known = _primary is not null && _primaryEpoch == epoch ? _primary
            : _lastAnnouncement is { } a && a.Epoch == epoch ? a.Primary
            : null;
        if (known is not null && known != winner)
        {
            _out.Note(new ElectorEvent(ElectorEventKind.ConflictingAnnounce, epoch, winner, $"epoch {epoch} already has primary '{known}'"));
            return;
        }
        RaiseEpoch(epoch);
        if (_vote is null || _vote.Epoch < epoch)
        {
            _vote = new Vote(epoch, winner); // the epoch's vote slot is now used
        }
        _lastAnnouncement = new Announcement(epoch, winner);
        Persist();
        peer.Role = Role.Primary;
        peer.Epoch = epoch;
        AdoptPrimary(winner, epoch, "announcement");
        _lastPrimaryClaim = _now;
    }
}
