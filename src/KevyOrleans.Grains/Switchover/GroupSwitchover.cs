using System.Collections.Concurrent;
using KevyOrleans.Abstractions;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>How a switchover request ended.</summary>
/// <summary>
/// A planned switchover of one group: picks and checks the target, gives every hosted member the
/// plan (the primary fences, waits for the target to catch up, steps down; the target runs at once),
/// and waits until the target is primary in a newer epoch or the plan lapses. The admin API maps it
/// to HTTP; one instance per silo (it holds the per-group lock).
/// </summary>
public sealed class GroupSwitchover(IGrainFactory grains, IGroupCatalog catalog, TimeProvider time, ILogger<GroupSwitchover> logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    // Groups with a switchover in progress, and when it started: one at a time per group, or two plans
    // could name different targets and the members would hold whichever arrived last.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _running = new(StringComparer.Ordinal);

    /// <summary>Runs a switchover of <paramref name="groupName"/>.</summary>
    /// <param name="groupName">A configured group.</param>
    /// <param name="requestedTarget">The member to hand over to; null or empty: the best replica that is up.</param>
    /// <param name="within">How long the plan lasts: the target must catch up and win within it.</param>
    /// <param name="cancellationToken">Stops waiting (the plan itself still lapses on the members).</param>
    public async Task<SwitchoverOutcome> RunAsync(string groupName, string? requestedTarget, TimeSpan within, CancellationToken cancellationToken)
    {
        if (catalog.Find(groupName) is not { } group)
        {
            return new(SwitchoverResult.UnknownGroup, $"no group '{groupName}' is configured");
        }
        var now = time.GetUtcNow();
        if (!_running.TryAdd(groupName, now))
        {
            var since = _running.TryGetValue(groupName, out var started) ? $" since {started:HH:mm:ss.fff}Z" : "";
            SwitchoverLog.SwitchoverRefusedInProgress(logger, groupName);
            return new(SwitchoverResult.InProgress,
                $"a switchover of group '{groupName}' is already in progress{since}; wait until it has ended, then check GET /groups/{groupName}");
        }
        var span = KevyTracing.Start("kevy.switchover")?.SetTag("kevy.group", groupName).SetTag("kevy.target", requestedTarget);
        SwitchoverOutcome? outcome = null;
        try
        {
            outcome = await RunExclusiveAsync(group, groupName, requestedTarget, within, cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            _running.TryRemove(groupName, out _);
            span?.SetTag("kevy.primary.previous", outcome?.PreviousPrimary).SetTag("kevy.primary", outcome?.Primary)
                .SetTag("kevy.epoch", outcome?.Epoch is { } epoch ? (long)epoch : null);
            KevyTracing.End(span, outcome?.Result.ToString() ?? "cancelled", outcome?.Result == SwitchoverResult.Completed);
        }
    }

    private async Task<SwitchoverOutcome> RunExclusiveAsync(GroupDefinition group, string groupName, string? requestedTarget, TimeSpan within,
        CancellationToken cancellationToken)
    {
        var before = await grains.GetGrain<IGroupGrain>(groupName).GetStatus().ConfigureAwait(false);
        if (before.Pause is not null)
        {
            // The members would ignore the plan (Elector.PlanHandover): say so now rather than time out.
            PauseLog.SwitchoverRefusedPaused(logger, groupName);
            return new(SwitchoverResult.Refused, $"group '{groupName}' is paused (maintenance mode); resume it first: POST /groups/{groupName}/resume");
        }
        if (before.Primary is not { } primary)
        {
            return new(SwitchoverResult.Refused, $"group '{groupName}' has no primary now; the election will pick one");
        }
        if (!group.IsHosted(primary))
        {
            return new(SwitchoverResult.Refused, $"the primary '{primary}' is an external kevy server; a switchover needs a hosted primary whose data node it can fence");
        }
        var (target, problem, badTarget) = SwitchoverTarget.Choose(group, before, primary, requestedTarget);
        if (target is null)
        {
            return new(badTarget ? SwitchoverResult.BadTarget : SwitchoverResult.Refused, problem!);
        }

        var started = time.GetTimestamp();
        var startedAt = time.GetUtcNow();
        var primaryGrain = grains.GetGrain<IMemberGrain>(MemberKey.Format(groupName, primary));
        SwitchoverLog.SwitchoverStarted(logger, groupName, primary, target, before.Epoch);
        // Every member's plan lapses at the same moment, however long its delivery took (a member
        // whose data node hangs answers slowly): each gets only the time that is left.
        async Task PlanAsync(string id)
        {
            var left = within - time.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await grains.GetGrain<IMemberGrain>(MemberKey.Format(groupName, id)).PlanHandover(target, left).ConfigureAwait(false);
            }
        }
        // Voters first, the primary last: by the time it steps down, everyone holds the plan.
        await Task.WhenAll(group.Hosted.Where(id => id != primary).Select(PlanAsync)).ConfigureAwait(false);
        await PlanAsync(primary).ConfigureAwait(false);

        // The primary never steps down after the plan lapsed, and a target that it stepped down for
        // wins or gives up within one election timeout: after that, the outcome is final.
        var final = within + group.Timings.ElectionTimeout + Poll;
        var status = before;
        while (time.GetElapsedTime(started) < final)
        {
            cancellationToken.ThrowIfCancellationRequested();
            status = await grains.GetGrain<IGroupGrain>(groupName).GetStatus().ConfigureAwait(false);
            var self = status.Members.FirstOrDefault(m => m.Id == target);
            if (status.Primary == target && status.Epoch > before.Epoch && self?.Role == Role.Primary)
            {
                var took = time.GetElapsedTime(started).TotalMilliseconds;
                SwitchoverLog.SwitchoverCompleted(logger, groupName, primary, target, status.Epoch, took);
                return new(SwitchoverResult.Completed, $"'{target}' is primary in epoch {status.Epoch}", primary, target, status.Epoch, took);
            }
            // A primary whose fence failed gave the plan up at once and stays: say so now, not at the deadline.
            if ((await primaryGrain.GetStatus().ConfigureAwait(false)).LastHandoverAbandoned is { } abandoned && abandoned.At >= startedAt)
            {
                var failed = $"the fence could not be applied on the primary '{primary}' ({abandoned.Reason}); the switchover to '{target}' was abandoned "
                    + $"and '{status.Primary ?? primary}' stays primary in epoch {status.Epoch}";
                SwitchoverLog.SwitchoverTimedOut(logger, groupName, primary, target, failed);
                return new(SwitchoverResult.FenceFailed, failed, primary, status.Primary, status.Epoch);
            }
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
        var targetOffset = status.Members.FirstOrDefault(m => m.Id == target)?.Offset;
        var primaryOffset = status.Members.FirstOrDefault(m => m.Id == primary)?.Offset;
        var message = $"no member caught up in time: target '{target}' at offset {Show(targetOffset)}, primary '{primary}' at offset {Show(primaryOffset)} "
            + $"after {within.TotalMilliseconds:0} ms; the plan lapsed and '{status.Primary ?? "nobody"}' is primary in epoch {status.Epoch}";
        SwitchoverLog.SwitchoverTimedOut(logger, groupName, primary, target, message);
        return new(SwitchoverResult.TimedOut, message, primary, status.Primary, status.Epoch);
    }

    private static string Show(ulong? offset) => offset?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
}
