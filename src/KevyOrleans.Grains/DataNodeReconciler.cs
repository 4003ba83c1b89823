using KevyOrleans.Election;
using KevyOrleans.Grains.DataNodes;

namespace KevyOrleans.Grains;

/// <summary>Why an action is re-applied to a data node the election did not just drive.</summary>
internal enum ReconcileReason : byte
{
    /// <summary>The node reports a role or master other than the election wants (e.g. it restarted as an empty master).</summary>
    Disagrees,

    /// <summary>The last action on the node failed; its state cannot be read back in full (a Redis pause is invisible in INFO).</summary>
    RetryAfterFailure,

    /// <summary>A fenced primary: the fence is renewed every tick, so a Redis pause never runs out.</summary>
    RenewFence,

    /// <summary>
    /// No election has given this member write authority (it came back without a role), yet its node
    /// takes writes: an orphaned primary's node, whose successor may be elected at any moment (rule 13).
    /// </summary>
    FenceUndecided,
}

internal readonly record struct Reconciliation(DataNodeAction Action, ReconcileReason Reason);

/// <summary>
/// Compares what the election wants of a data node (<see cref="DataNodeIntent"/>) with what the node
/// reports, and names the action that brings it back in line. Pure; the member runner applies it.
/// </summary>
internal static class DataNodeReconciler
{
    /// <summary>The action that brings the node in line with <paramref name="intent"/>, or null when it already is.</summary>
    /// <param name="intent">What the election wants of this member's data node.</param>
    /// <param name="knownPrimary">The group's primary as this member knows it; null when unknown.</param>
    /// <param name="group">The member's group (its data-node kind and members).</param>
    /// <param name="probe">This tick's probe; a silent node or a probe without a role gets only retries and renewals.</param>
    /// <param name="lastActionFailed">The last action sent to the node failed or timed out.</param>
    public static Reconciliation? Decide(DataNodeIntent intent, string? knownPrimary, GroupDefinition group, in DataNodeProbe probe, bool lastActionFailed)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (!probe.Answered)
        {
            return null;
        }
        switch (intent)
        {
            case DataNodeIntent.Primary:
                return probe.Role == DataNodeRole.Replica ? new(DataNodeAction.Promote, ReconcileReason.Disagrees)
                    : lastActionFailed ? new(DataNodeAction.Promote, ReconcileReason.RetryAfterFailure)
                    : null;
            case DataNodeIntent.FencedPrimary:
                // A fenced kevy node is a replica of the fence endpoint; a Redis one is a paused master.
                var kevyOpen = group.DataNodes == DataNodeKind.Kevy && probe.Role != DataNodeRole.Unknown &&
                    !probe.Follows(DataNodeConventions.KevyFenceHost, DataNodeConventions.KevyFencePort);
                return new(DataNodeAction.Fence, kevyOpen ? ReconcileReason.Disagrees
                    : lastActionFailed ? ReconcileReason.RetryAfterFailure
                    : ReconcileReason.RenewFence);
            case DataNodeIntent.Replica when knownPrimary is not null:
                var primary = group.Member(knownPrimary);
                var port = DataNodeConventions.ReplicationPort(group.DataNodes, primary.ClientPort);
                var follow = DataNodeAction.Follow(primary.Id, primary.ClientAddress);
                var disagrees = probe.Role == DataNodeRole.Master || (probe.Role == DataNodeRole.Replica && !probe.Follows(primary.Host, port));
                return disagrees ? new(follow, ReconcileReason.Disagrees)
                    : lastActionFailed ? new(follow, ReconcileReason.RetryAfterFailure)
                    : null;
            case DataNodeIntent.Undecided when probe.Role == DataNodeRole.Master:
                // Write authority comes only from an election. A restarted member (its silo died while it was
                // primary) must not leave its node writable until it learns the successor: fence it now. A Redis
                // pause cannot be seen in INFO, so it is renewed every tick; a fenced kevy node reports replica.
                return new(DataNodeAction.Fence, ReconcileReason.FenceUndecided);
            default:
                // Undecided with a replica node: it takes no writes; it keeps following until the election says.
                return null;
        }
    }
}
