using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// A primary that comes back (its process restarted, its silo died and the member was activated
// elsewhere, a rolling restart moved it) resumes the primacy its storage records instead of forcing
// an election: its peers, sticky to it for down_after, never stopped following it.
public sealed partial class Elector
{
    private bool _resumeFencePending;

    /// <summary>
    /// True when this activation resumed the primacy of its stored epoch (<see cref="ResumeStoredPrimacy"/>).
    /// </summary>
    public bool ResumedPrimacy { get; private set; }

    /// <summary>
    /// Resumes as primary when storage says this member won the epoch it is at (the last announcement
    /// names it, at the stored epoch) and it has voted for nobody since. Safe because the lease decides
    /// writability, not the role: the member starts fenced and unfences only when a majority at or below
    /// its epoch proves it hears this activation (the echoes of its stamps; an echo of the previous
    /// activation proves nothing). A successor cannot exist without a majority that moved past the epoch,
    /// and any majority holds one member of the lease's: rule 10 fences or deposes it then.
    /// </summary>
    private void ResumeStoredPrimacy()
    {
        if (_config.IsWitness || _lastAnnouncement is not { } won || won.Primary != Self || won.Epoch != _epoch
            || (_vote is { } v && v.Epoch > _epoch))
        {
            return;
        }
        _role = Role.Primary;
        _primary = Self;
        _primaryEpoch = _epoch;
        _primaryKnownSince = _now;
        _lastPrimaryClaim = _now;
        _fenced = true; // Intent is FencedPrimary from the first instant; the fence action goes out with the first input
        _resumeFencePending = true;
        ResumedPrimacy = true;
    }

    private void FenceResumedPrimary()
    {
        if (_resumeFencePending)
        {
            _resumeFencePending = false;
            FenceDataNode($"resumed as the primary of epoch {_epoch}: fenced until a majority hears this activation");
        }
    }
}
