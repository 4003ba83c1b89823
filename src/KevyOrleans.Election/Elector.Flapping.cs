namespace KevyOrleans.Election;

// Anti-flapping (issue 15, item 3): a group whose primaries keep failing should not change primary every
// down_after. A member that would run for a failover sooner than MinimumTimeBetweenFailovers after the last
// one it saw holds its candidacy. Availability is traded for calm: no rule of safety depends on it.
public sealed partial class Elector
{
    /// <summary>Local time this member last saw an automatic failover complete; null: none in this activation.</summary>
    private TimeSpan? _lastFailoverAt;

    /// <summary>The epoch of the last primary this activation knew, so a failover is told from the first election.</summary>
    private ulong? _lastPrimaryEpochKnown;

    /// <summary>Whether the hold of the current episode has been noted (once per episode, not at every tick).</summary>
    private bool _holdNoted;

    /// <summary>
    /// A primary at <paramref name="epoch"/> was learned or won. It ends a failover when this activation knew
    /// an older primary before; one a plan chose (<paramref name="planned"/>) is a switchover and moves no clock.
    /// </summary>
    private void NotePrimaryAt(ulong epoch, bool planned)
    {
        if (_lastPrimaryEpochKnown is { } known && epoch <= known)
        {
            return;
        }
        if (_lastPrimaryEpochKnown is not null && !planned)
        {
            _lastFailoverAt = _now;
        }
        _lastPrimaryEpochKnown = epoch;
        _holdNoted = false;
    }

    /// <summary>
    /// The last check before a candidacy for a failover: false while the last failover is more recent than
    /// <see cref="ElectorConfig.MinimumTimeBetweenFailovers"/>. A primary whose data node is certainly dead, a
    /// planned switchover's target, and a group that never had a failover in this activation are not held.
    /// </summary>
    private bool FlappingAllowsRun()
    {
        var hold = _config.MinimumTimeBetweenFailovers;
        if (hold <= TimeSpan.Zero || _lastFailoverAt is not { } last || _now - last >= hold || PrimaryCertainlyDead || PlannedPrimaryGone)
        {
            return true;
        }
        if (!_holdNoted)
        {
            _holdNoted = true;
            var left = hold - (_now - last);
            _out.Note(new ElectorEvent(ElectorEventKind.FailoverHeld, _epoch, _primary ?? Self,
                $"the last failover was {(_now - last).TotalMilliseconds:0} ms ago; MinimumTimeBetweenFailovers is {hold.TotalMilliseconds:0} ms, " +
                $"so this member runs in {left.TotalMilliseconds:0} ms if the primary is still gone"));
        }
        return false;
    }
}
