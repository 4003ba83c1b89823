using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// Two candidates of one epoch. Neither can vote for the other in it (each voted for itself), so with a
// voter missing both time out and back off. The fast path makes this the common case under writes:
// every survivor probes its final offset at once and runs, each seeing the other's offset from a
// heartbeat before the death, lower than its own, and the dead member abstains (the failover benchmark:
// 0.8-1.4 s at 3 members, one election timeout, instead of tens of ms). The outranked candidate stands
// down at once and says so; the other runs again one epoch up, where the first is free to vote for it.
public sealed partial class Elector
{
    /// <summary>An OFFER of this candidacy's own epoch from a candidate that outranks this one (offset, priority, id).</summary>
    private bool StandsDownFor(MemberView rival, in ElectionMessage offer) =>
        _role == Role.Candidate && offer.Epoch == _epoch && PeerOutranks(rival);

    /// <summary>Ends this candidacy as a timeout would (the same backoff), but now, and heartbeats "replica" at once.</summary>
    private void StandDown(MemberView rival)
    {
        EndCandidacyWithBackoff();
        _out.Note(new ElectorEvent(ElectorEventKind.SteppedDown, _epoch, rival.Id,
            $"'{rival.Id}' runs in this epoch and outranks this member (offset {rival.Offset} against {_ownOffset})"));
        SendHeartbeat(); // the rival learns now that this member's vote is free one epoch up
    }

    /// <summary>
    /// A rival candidate of this candidacy's epoch heartbeats as a replica without having voted for this one: it
    /// stood down (or gave up). Runs again one epoch up at once, where its vote is free, instead of waiting for
    /// the timeout and a backoff.
    /// </summary>
    private void OnRivalStoodDown(MemberView peer, bool wasRival, in ElectionMessage hb)
    {
        if (!wasRival || _role != Role.Candidate || hb.Role != Role.Replica || hb.Epoch != _epoch
            || _votesReceived.Contains(peer.Id) || !DataNodeServing || _paused)
        {
            return;
        }
        _role = Role.Replica;
        _votesReceived.Clear();
        _out.Note(new ElectorEvent(ElectorEventKind.CandidacyRenewed, _epoch, peer.Id, $"'{peer.Id}' stood down in this epoch; running again one epoch up"));
        StartCandidacy();
    }
}
