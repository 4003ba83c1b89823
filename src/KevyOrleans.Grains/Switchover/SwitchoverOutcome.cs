namespace KevyOrleans.Grains;

/// <summary>How a switchover request ended.</summary>
public enum SwitchoverResult
{
    /// <summary>The target is primary in a newer epoch.</summary>
    Completed,
    /// <summary>No such group.</summary>
    UnknownGroup,
    /// <summary>The request names a target that cannot be one (not a member, a witness, external).</summary>
    BadTarget,
    /// <summary>The group's state does not allow it now (no primary, external primary, nobody up to take over).</summary>
    Refused,
    /// <summary>The plan lapsed: no member caught up and won in time. The old primary carries on.</summary>
    TimedOut,
    /// <summary>Another switchover of the same group is in progress (on this silo).</summary>
    InProgress,
    /// <summary>The primary's fence could not be applied: it abandoned the handover and stays primary.</summary>
    FenceFailed,
}

/// <summary>What a switchover request came to.</summary>
/// <param name="Result">How it ended.</param>
/// <param name="Message">A sentence for the operator: what happened, naming the members.</param>
/// <param name="PreviousPrimary">The primary it started from, once one was found.</param>
/// <param name="Primary">The primary at the end (the target when completed).</param>
/// <param name="Epoch">The group's epoch at the end.</param>
/// <param name="TookMs">From the first plan sent to the target winning (completed only).</param>
public sealed record SwitchoverOutcome(SwitchoverResult Result, string Message, string? PreviousPrimary = null,
    string? Primary = null, ulong? Epoch = null, double? TookMs = null);
