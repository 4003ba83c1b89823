using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// Rule 15, the ballot binds: a member that voted for a candidate backs no other one (votes for none,
// runs not itself) for down_after after its vote, unless that candidate shows it did not win. The
// winner's lease counts the vote from its OFFER for the lease window (Elector.LeaseEcho); a voter that
// knows no primary yet and backs a second candidate within that window gives two winners a majority
// each, the lower one unaware of the higher (soak seeds 3:5042227, 3:6044856). The sticky-primary rule
// protects a primary the voter knows; the ballot protects the one it may have just made.
public sealed partial class Elector
{
    /// <summary>The last vote this member cast for another member, and when; null once released.</summary>
    private (string Candidate, ulong Epoch, TimeSpan CastAt)? _ballot;

    /// <summary>
    /// A restarted member does not know when its stored vote was cast nor, unless an announcement of that
    /// epoch is stored too, whether its candidate won: it treats the vote as cast at the start. Otherwise it
    /// backs the primary its storage names as if it had just heard it: it has not heard it in this activation,
    /// so nothing is sticky yet, and its first probe may predate writes that primary replicated to it and got
    /// acknowledged (soak seed 3:9058788: the notice of that primary's death never reached it, and it voted a
    /// survivor without them into office). Released as any ballot: that primary heard as primary (the sticky
    /// rule takes over) or as a replica, or certainly dead (and a vote then waits for a probe after the notice).
    /// </summary>
    private void RestoreBallot()
    {
        if (_vote is { } v && v.Candidate != Self && (_lastAnnouncement is not { } a || a.Epoch < v.Epoch))
        {
            _ballot = (v.Candidate, v.Epoch, _startedAt);
        }
        else if (_lastAnnouncement is { } known && known.Primary != Self)
        {
            _ballot = (known.Primary, known.Epoch, _startedAt);
        }
    }

    private void CastBallot(string candidate, ulong epoch) => _ballot = (candidate, epoch, _now);

    /// <summary>True while the ballot forbids backing <paramref name="candidate"/> (another member, or this one running).</summary>
    private bool BallotBindsAgainst(string candidate)
    {
        if (_ballot is not { } b || b.Candidate == candidate)
        {
            return false;
        }
        if (_now - b.CastAt >= _timings.DownAfter
            || (_peers.TryGetValue(b.Candidate, out var peer) && IsCertainlyDead(peer)))
        {
            // Its winner's lease is over by now, or its data node is gone (rule 14): nothing left to protect.
            _ballot = null;
            return false;
        }
        return true;
    }

    /// <summary>The candidate heartbeats as a replica in the ballot's epoch or later: its candidacy ended without a win.</summary>
    private void ReleaseBallotOnHeartbeat(MemberView peer, in ElectionMessage hb)
    {
        if (_ballot is { } b && peer.Id == b.Candidate && hb.Role == Role.Replica && hb.Epoch >= b.Epoch)
        {
            _ballot = null;
        }
    }

    /// <summary>A primary of the ballot's epoch or later is known: the sticky-primary rule takes over from here.</summary>
    private void ReleaseBallotOnPrimary(ulong epoch)
    {
        if (_ballot is { } b && epoch >= b.Epoch)
        {
            _ballot = null;
        }
    }

    /// <summary>When the ballot lapses by itself, for <see cref="NextTimedEvent"/>.</summary>
    private TimeSpan? BallotLapsesAt => _ballot is { } b ? b.CastAt + _timings.DownAfter : null;
}
