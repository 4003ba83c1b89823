using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// Planned switchover ("handover"): the primary fences its data node, waits until the target's offset
// reaches its own, steps down, and the target runs at once with every hosted member's blessing.
// Votes stay one per epoch; only who runs, and the id tie-break, change while a plan is active.
public sealed partial class Elector
{
    private HandoverPlan? _handover;

    /// <summary>The switchover this member knows of, if one is in progress.</summary>
    public HandoverPlan? Handover => _handover;

    /// <summary>
    /// A planned switchover to <paramref name="target"/>, valid for <paramref name="within"/>. Every
    /// hosted member of the group gets the same plan. The primary fences its data node at once and
    /// steps down once the target has caught up; the target then runs without waiting; the others
    /// hold their own candidacies and break offset ties in the target's favour. When the plan runs
    /// out first, the primary (if it has not stepped down) unfences and carries on.
    /// </summary>
    public EffectBatch PlanHandover(string target, TimeSpan within, TimeSpan now)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (!_config.Group.Members.Contains(target) || _config.Group.IsWitness(target))
        {
            throw new ArgumentException($"'{target}' is not a data-bearing member of this group", nameof(target));
        }
        if (_config.Failover.IsNoFailover(target))
        {
            throw new ArgumentException($"'{target}' is NoFailover: it never becomes primary", nameof(target));
        }
        if (within <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(within), within, "a handover needs time");
        }
        Begin(now);
        if (_paused)
        {
            return Finish(); // maintenance mode: nobody steps down or runs for a plan (Elector.Pause.cs)
        }
        _handover = new HandoverPlan(target, _now + within, _now, _primary);
        _out.Note(new ElectorEvent(ElectorEventKind.HandoverPlanned, _epoch, target, $"for {within.TotalMilliseconds:0} ms"));
        if (_role == Role.Primary && target != Self)
        {
            // Fence again even when the lease already did: only a fence confirmed after the plan counts.
            FenceDataNode($"handing over to '{target}'");
        }
        EvaluateTimers();
        return Finish();
    }

    /// <summary>Runs before the role's own timers: expiry, and the primary's step-down once the target caught up.</summary>
    private void EvaluateHandover()
    {
        if (_handover is not { } plan)
        {
            return;
        }
        if (_now >= plan.Until)
        {
            _handover = null;
            _out.Note(new ElectorEvent(ElectorEventKind.HandoverAbandoned, _epoch, plan.Target,
                _role == Role.Primary ? "the target did not catch up in time" : "no new primary in time"));
            return; // a primary still fenced is unfenced by its lease, below, if it sees its majority
        }
        if (_role == Role.Primary && plan.Target != Self && TargetCaughtUp(plan))
        {
            StepDownForHandover(plan.Target);
        }
    }

    /// <summary>
    /// The host's report on the last <see cref="DataNodeActionKind.Fence"/> it applied: whether the data
    /// node confirmed it (it takes no more writes). A planned switchover steps down only on a fence
    /// confirmed after the plan arrived; a failed fence abandons the plan on this primary at once
    /// (<see cref="ElectorEventKind.HandoverAbandoned"/>), and its lease decides whether it reopens.
    /// </summary>
    public EffectBatch ObserveFence(bool confirmed, TimeSpan now)
    {
        Begin(now);
        if (_fenced)
        {
            _fenceConfirmedAt = confirmed ? _now : null;
            if (!confirmed && HandingOver)
            {
                var target = _handover!.Target;
                _handover = null;
                _out.Note(new ElectorEvent(ElectorEventKind.HandoverAbandoned, _epoch, target,
                    "the fence failed: the data node may still take writes, so this primary stays"));
            }
        }
        EvaluateTimers();
        return Finish();
    }

    /// <summary>
    /// The target is up and its offset reaches this primary's offset as probed after the fence was
    /// confirmed (itself after the plan arrived): every write this primary acknowledged is on the target.
    /// </summary>
    private bool TargetCaughtUp(HandoverPlan plan) =>
        _peers.TryGetValue(plan.Target, out var target)
        && target.HeardWithin(_now, _timings.DownAfter)
        && _fenceConfirmedAt is { } fenced && fenced >= plan.PlannedAt
        && _dataNodeAnsweredAt is { } probed && probed > fenced
        && target.Offset >= _ownOffset;

    private void StepDownForHandover(string target)
    {
        _role = Role.Replica;
        _primary = null;
        _lastPrimaryClaim = null;
        _votesReceived.Clear();
        // _fenced stays set: the data node takes no writes until it follows the new primary or wins again.
        _out.Note(new ElectorEvent(ElectorEventKind.SteppedDownForHandover, _epoch, target, $"handing over to '{target}', which has caught up"));
        SendHeartbeat(); // "replica" at once: peers forget this primary now, not after down_after
    }

    /// <summary>A primary that planned to hand over keeps its data node fenced, whatever its lease says.</summary>
    private bool HandingOver => _role == Role.Primary && _handover is { } plan && plan.Target != Self;

    private bool IsHandoverTarget => _handover is { } plan && plan.Target == Self;

    /// <summary>While a plan is active only its target runs, and it runs as soon as the primary is gone.</summary>
    private bool HandoverAllowsRun(out bool primaryGone)
    {
        primaryGone = false;
        if (_handover is not { } plan)
        {
            return true;
        }
        if (plan.Target != Self)
        {
            return false;
        }
        primaryGone = PlannedPrimaryGone;
        return true;
    }

    /// <summary>
    /// This member is the plan's target and the primary it followed when the plan came is gone: stepped
    /// down (it said so, and this member forgot it) or down. A target that knew no primary then gains
    /// nothing from the plan (no run at once, no tie ignored): a winner it never heard of may hold its
    /// lease, unfenced after a failed fence, on the votes of members that did not hear of the win either.
    /// </summary>
    private bool PlannedPrimaryGone =>
        _handover is { } plan && plan.Target == Self && plan.Primary is { } followed
        && (_primary is null || (_primary == followed && IsPrimaryDown()));

    /// <summary>A plan's target wins offset ties: ids only break ties between candidates nobody chose.</summary>
    private bool TieGoesToTarget(string candidate) => _handover is { } plan && plan.Target == candidate;

    private void EndHandoverOnNewPrimary(string primary)
    {
        if (_handover is { } plan && (plan.Target == primary || primary == Self))
        {
            _handover = null;
            _out.Note(new ElectorEvent(ElectorEventKind.HandoverCompleted, _epoch, primary));
        }
    }
}

/// <summary>A planned switchover as one member knows it.</summary>
/// <param name="Target">The member that is to become primary.</param>
/// <param name="Until">Local monotonic time at which the plan lapses.</param>
/// <param name="PlannedAt">Local monotonic time the plan arrived (a primary's offset must be probed after it).</param>
/// <param name="Primary">The primary this member followed when the plan arrived; null when it knew none.</param>
public sealed record HandoverPlan(string Target, TimeSpan Until, TimeSpan PlannedAt, string? Primary);
