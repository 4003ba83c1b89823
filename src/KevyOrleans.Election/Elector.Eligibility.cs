using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// Who may become primary (issue 15, item 2): NoFailover, Priority and MaximumLagOnFailover, as the
// hosted members apply them. Nothing here changes the wire: it changes who runs and who a vote defends.
public sealed partial class Elector
{
    /// <summary>The reason of the decline last noted, so one episode is logged once, not at every tick.</summary>
    private string? _declinedFor;

    private FailoverPolicy Policy => _config.Failover;

    /// <summary>
    /// Whether <paramref name="peer"/> comes before this member in the order hosted members apply:
    /// offset, then priority, then id. A witness or a NoFailover member never does: it never runs, so
    /// waiting for it would stall the group while an eligible member is up.
    /// </summary>
    private bool PeerOutranks(MemberView peer) =>
        !peer.IsWitness && !Policy.IsNoFailover(peer.Id)
        && CandidateOrder.Outranks(peer.Offset, Policy.Priority(peer.Id), peer.Id, _ownOffset, Policy.Priority(Self), Self);

    /// <summary>At an equal offset, this member would win the tie against <paramref name="candidate"/> (priority, then id).</summary>
    private bool WinsTieAgainst(string candidate)
    {
        var mine = Policy.Priority(Self);
        var theirs = Policy.Priority(candidate);
        return mine > theirs || (mine == theirs && NodeId.Compare(Self, candidate) < 0);
    }

    /// <summary>
    /// A vote defends this member's offset only when the member could run on it: a NoFailover member
    /// that refused a less advanced candidate would stall the group without ever taking over itself.
    /// </summary>
    private bool DefendsOwnOffset => !_config.IsWitness && DataNodeHealthy && !Policy.IsNoFailover(Self);

    /// <summary>Hosted voters never help a NoFailover member (an external one: hosted ones never run) to win.</summary>
    private bool PolicyRefuses(string candidate) => Policy.IsNoFailover(candidate);

    /// <summary>
    /// The last check before a candidacy: this member is the best candidate and its primary is gone,
    /// but its settings may still forbid it to run. A decline is noted once per episode
    /// (<see cref="ElectorEventKind.FailoverDeclined"/>), naming the eligible members this member sees up.
    /// </summary>
    private bool PolicyAllowsRun()
    {
        if (Ineligibility() is not { } reason)
        {
            _declinedFor = null;
            return true;
        }
        var kind = reason.Split(':')[0];
        if (_declinedFor != kind)
        {
            _declinedFor = kind;
            var up = EligibleMembersUp();
            _out.Note(new ElectorEvent(ElectorEventKind.FailoverDeclined, _epoch, Self,
                up == 0 ? $"{reason}; no member that may become primary is up: the group has no primary until one returns"
                        : $"{reason}; {up} member(s) that may become primary are up"));
        }
        return false;
    }

    /// <summary>The primary is back (or another member won): a later decline is a new episode.</summary>
    private void EndDecline() => _declinedFor = null;

    /// <summary>Why this member may not run now, or null when its settings allow it.</summary>
    private string? Ineligibility()
    {
        if (_config.IsWitness)
        {
            return "witness: it holds no data";
        }
        if (Policy.IsNoFailover(Self))
        {
            return "NoFailover: this member never becomes primary";
        }
        // A planned switchover names its target on purpose and waits until it has caught up: no lag limit.
        if (Policy.MaximumLag is { } max && !IsHandoverTarget)
        {
            var best = BestKnownOffset();
            var lag = best - Math.Min(best, _ownOffset);
            if (lag > max)
            {
                return $"MaximumLagOnFailover: {lag} bytes behind the best known offset {best}, above the limit of {max}";
            }
        }
        return null;
    }

    /// <summary>The highest offset of this member, every data member heard within down_after, and the known primary's last one.</summary>
    private ulong BestKnownOffset()
    {
        var best = _ownOffset;
        foreach (var peer in _peerList)
        {
            if (!peer.IsWitness && peer.LastHeard is not null && (peer.Id == _primary || peer.HeardWithin(_now, _timings.DownAfter)))
            {
                best = Math.Max(best, peer.Offset);
            }
        }
        return best;
    }

    /// <summary>Data members up (this one included) that NoFailover and the lag limit allow to run, as this member sees them.</summary>
    private int EligibleMembersUp()
    {
        var best = BestKnownOffset();
        var max = Policy.MaximumLag ?? ulong.MaxValue;
        var count = Ineligibility() is null && DataNodeServing ? 1 : 0;
        foreach (var peer in _peerList)
        {
            if (!peer.IsWitness && !Policy.IsNoFailover(peer.Id) && peer.Id != _primary && peer.HeardWithin(_now, _timings.DownAfter)
                && best - Math.Min(best, peer.Offset) <= max)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Whether this member may become primary by its failover settings now, and how many members that may are up.</summary>
    /// <param name="now">The monotonic time of the snapshot.</param>
    public FailoverEligibility GetEligibility(TimeSpan now)
    {
        var at = now > _now ? now : _now;
        var saved = _now;
        _now = at;
        try
        {
            return new FailoverEligibility(Policy.IsNoFailover(Self), Policy.Priority(Self), Ineligibility(), EligibleMembersUp());
        }
        finally
        {
            _now = saved;
        }
    }
}

/// <summary>One member's standing under its group's failover settings, for status pages.</summary>
/// <param name="NoFailover">The member is configured never to become primary.</param>
/// <param name="Priority">Its configured priority (higher wins an offset tie among hosted voters).</param>
/// <param name="NotEligible">Why it may not run now (NoFailover, witness, or lagging beyond MaximumLagOnFailover); null when it may.</param>
/// <param name="EligibleMembersUp">Data members up, itself included, that may become primary, as it sees them; 0 = a failover now would find no one.</param>
public sealed record FailoverEligibility(bool NoFailover, int Priority, string? NotEligible, int EligibleMembersUp);
