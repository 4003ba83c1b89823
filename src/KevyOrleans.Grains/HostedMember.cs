using System.Diagnostics;
using KevyOrleans.Abstractions;
using KevyOrleans.Election;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>
/// Runs one member's elector: feeds it inputs, commits each batch's durable record before releasing
/// anything, then delivers frames and drives the data node. Knows nothing of Orleans grains, so two
/// instances over one storage record can be tested directly. After a failed or conflicting commit it
/// is retired: it releases nothing more, and its owner must build a new one from storage.
/// </summary>
public sealed partial class HostedMember
{
    private readonly GroupDefinition _group;
    private readonly IMemberStore _store;
    private readonly IMemberOutbox _outbox;
    private readonly IDataNode? _dataNode;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly KevyMetrics _metrics;
    private readonly TimeSpan _storageTimeout;
    private readonly Elector _elector;
    private readonly ElectionSpans _spans;
    private bool _drivenSinceProbe; // an action went to the data node after this tick's probe read it
    private bool _lastActionFailed;
    private bool _fencingUndecided; // the last reconciliation fenced a node this undecided member found writable
    private HandoverAbandonment? _handoverAbandoned; // the last switchover this member gave up on a failed fence, for the admin API
    private bool _reportingFailedFence;

    /// <summary>Where elections, switchovers, fences and conflicts go for the webhook; null = none.</summary>
    public IKevyEventSink? Events { get; init; }

    /// <summary>The runner of <paramref name="member"/>, starting from the record its store loaded.</summary>
    /// <param name="group">The member's group.</param>
    /// <param name="member">The member's id.</param>
    /// <param name="store">The member's durable record in the vote storage.</param>
    /// <param name="outbox">Where released frames go.</param>
    /// <param name="dataNode">The member's data node; null for a witness only.</param>
    /// <param name="time">The clock of the elector's deadlines.</param>
    /// <param name="logger">Where activation, elections and data-node failures are logged.</param>
    /// <param name="metrics">The counters this runner updates.</param>
    /// <param name="storageTimeout">How long a durable commit may take before it counts as failed.</param>
    /// <param name="random">The source of the election timeout's jitter.</param>
    /// <exception cref="ArgumentException">The member is not a witness and has no data node.</exception>
    public HostedMember(GroupDefinition group, string member, IMemberStore store, IMemberOutbox outbox, IDataNode? dataNode,
        TimeProvider time, ILogger logger, KevyMetrics metrics, TimeSpan storageTimeout, Random random)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(store);
        _group = group;
        Member = member;
        _store = store;
        _outbox = outbox;
        _dataNode = dataNode;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _storageTimeout = storageTimeout;
        var config = new ElectorConfig(member, group.Election, group.Timings) {
            Failover = group.Failover,
            FastFailover = group.FastFailover,
            MinimumTimeBetweenFailovers = group.MinimumTimeBetweenFailovers,
        };
        if (!config.IsWitness && dataNode is null)
        {
            throw new ArgumentException($"member '{member}' of group '{group.Name}' is not a witness and needs a data node", nameof(dataNode));
        }
        _elector = new Elector(config, store.Loaded, Now, random);
        _spans = new ElectionSpans(group.Name, member, [.. group.Election.Members.Select(m => m.Id)]);
        Log.Activated(logger, group.Name, member, _elector.Epoch, store.Loaded is not null);
    }

    /// <summary>The member's id in its group.</summary>
    public string Member { get; }

    /// <summary>The primary this member follows or is, or null when it knows none.</summary>
    public string? KnownPrimary => _elector.KnownPrimary;

    /// <summary>The name of the member's group.</summary>
    public string GroupName => _group.Name;

    /// <summary>A commit failed: this instance released nothing of that batch and takes no more input.</summary>
    public bool IsRetired { get; private set; }

    /// <summary>The member's current epoch.</summary>
    public ulong Epoch => _elector.Epoch;

    /// <summary>The group's heartbeat interval, the period of the owner's ticks.</summary>
    public TimeSpan HeartbeatInterval => _group.Timings.HeartbeatInterval;

    /// <summary>The member's role now: replica, candidate or primary.</summary>
    public Role Role => _elector.Role;

    private TimeSpan Now => _time.GetElapsedTime(0);

    /// <summary>
    /// The periodic input: probe the data node (bounded), tick, then bring the data node back in line
    /// with the election when the probe shows it drifted (see <see cref="DataNodeReconciler"/>).
    /// </summary>
    public async Task TickAsync()
    {
        if (IsRetired)
        {
            return;
        }
        ApplyPause();
        if (_dataNode is null)
        {
            await ApplyAsync(_elector.Tick(Now)).ConfigureAwait(true);
            return;
        }
        var probe = await ProbeAsync().ConfigureAwait(true);
        _drivenSinceProbe = false;
        if (await ApplyAsync(ObserveProbe(probe)).ConfigureAwait(true) &&
            await ApplyAsync(_elector.Tick(Now)).ConfigureAwait(true))
        {
            await ReconcileAsync(probe).ConfigureAwait(true);
        }
    }

    /// <summary>The wake-up at the elector's next deadline: no probe, just time.</summary>
    public async Task WakeAsync()
    {
        if (!IsRetired)
        {
            await ApplyAsync(_elector.Tick(Now)).ConfigureAwait(true);
        }
    }

    /// <summary>Feeds a frame from another member of the group to the elector.</summary>
    public async Task ReceiveAsync(ElectionMessage message)
    {
        if (!IsRetired)
        {
            await ApplyAsync(_elector.Receive(message, Now)).ConfigureAwait(true);
        }
    }

    /// <summary>An operator's planned switchover (see <see cref="Elector.PlanHandover"/>).</summary>
    public async Task PlanHandoverAsync(string target, TimeSpan within)
    {
        if (!IsRetired)
        {
            await ApplyAsync(_elector.PlanHandover(target, within, Now)).ConfigureAwait(true);
        }
    }

    /// <summary>How long until time alone changes the election, heartbeats aside (never negative; at most one hb_interval).</summary>
    public TimeSpan UntilNextTimedEvent()
    {
        var due = _elector.NextTimedEvent - Now;
        return due < TimeSpan.Zero ? TimeSpan.Zero : due;
    }

    /// <summary>The member's election status, for the admin API.</summary>
    /// <param name="silo">The silo this member runs on, named in the snapshot.</param>
    public MemberSnapshot Snapshot(string silo)
    {
        var s = _elector.GetStatus(Now);
        var eligibility = _elector.GetEligibility(Now);
        var peers = s.Members.Select(m => new PeerSnapshot(m.Id, m.IsWitness, m.SinceLastSeen?.TotalMilliseconds, m.Epoch, m.Role, m.Offset, m.IsUp)).ToList();
        return new MemberSnapshot(_group.Name, Member, _elector.Config.IsWitness, s.Role, s.Epoch, s.Vote?.Epoch, s.Vote?.Candidate,
            s.KnownPrimary, s.QuorumVisible, s.Fenced, s.DataNodeHealthy, s.OwnOffset, silo, peers)
        {
            LastHandoverAbandoned = _handoverAbandoned,
            NotEligible = eligibility.NotEligible,
            EligibleMembersUp = eligibility.EligibleMembersUp,
            Pause = Pause,
        };
    }

    /// <summary>Commit, then release. Returns false when the commit failed and this instance retired.</summary>
    private async Task<bool> ApplyAsync(EffectBatch batch)
    {
        Effects effects;
        if (batch.RecordToCommit is { } record)
        {
            var started = Stopwatch.GetTimestamp();
            var span = KevyTracing.StartWrite(_group.Name, Member, record);
            try
            {
                using var timeout = new CancellationTokenSource(_storageTimeout);
                await _store.CommitAsync(record, timeout.Token).WaitAsync(_storageTimeout).ConfigureAwait(true);
            }
#pragma warning disable CA1031 // every storage failure is handled the same way: release nothing, retire
            catch (Exception e)
#pragma warning restore CA1031
            {
                batch.CommitFailed();
                IsRetired = true;
                var reason = e switch
                {
                    Orleans.Storage.InconsistentStateException => "conflict",
                    TimeoutException or OperationCanceledException => "timeout",
                    _ => "error",
                };
                _metrics.StorageFailed(_group.Name, reason);
                KevyTracing.End(span, reason, ok: false);
                Log.StorageWriteFailed(_logger, _group.Name, Member, record.ToString(), reason, e);
                return false;
            }
            _metrics.StorageWritten(_group.Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            KevyTracing.End(span, "committed", ok: true);
            effects = batch.Committed();
        }
        else
        {
            effects = batch.Release();
        }
        if (!effects.IsEmpty)
        {
            await ReleaseAsync(effects).ConfigureAwait(true);
        }
        return true;
    }

    private async Task ReleaseAsync(Effects effects)
    {
        foreach (var e in effects.Events)
        {
            Report(e);
        }
        foreach (var outbound in effects.Messages)
        {
            if (outbound.To is { } to)
            {
                _outbox.Deliver(to, outbound.Message);
                continue;
            }
            foreach (var m in _group.Election.Members)
            {
                if (m.Id != Member)
                {
                    _outbox.Deliver(m.Id, outbound.Message);
                }
            }
        }
        if (effects.DeathNotice is { } notice)
        {
            _outbox.NotifyDeath(notice); // rule 14: at once, before anything that could wait on the dead node
        }
        var actions = effects.Actions;
        bool? fenced = null;
        for (var i = 0; i < actions.Count; i++)
        {
            // Exactly what the elector asks, in its order (Promote and Follow reopen a fenced node themselves).
            var applied = await DriveDataNodeAsync(actions[i]).ConfigureAwait(true);
            if (actions[i].Kind == DataNodeActionKind.Fence)
            {
                fenced = applied;
            }
        }
        if (fenced is { } confirmed)
        {
            await ReportFenceAsync(confirmed).ConfigureAwait(true);
        }
    }

    /// <summary>Tells the elector whether a fence took hold: a switchover steps down only on a confirmed one.</summary>
    private async Task ReportFenceAsync(bool confirmed)
    {
        // A handover the elector abandons on this report was abandoned because the fence failed.
        _reportingFailedFence = !confirmed;
        try
        {
            await ApplyAsync(_elector.ObserveFence(confirmed, Now)).ConfigureAwait(true);
        }
        finally
        {
            _reportingFailedFence = false;
        }
    }

    /// <summary>Re-applies what the election wants when this tick's probe shows the data node disagrees.</summary>
    private async Task ReconcileAsync(DataNodeProbe probe)
    {
        // An action sent after the probe is newer than what the probe saw: the next probe judges it.
        if (_drivenSinceProbe)
        {
            return;
        }
        var intent = _elector.Intent;
        if (DataNodeReconciler.Decide(intent, _elector.KnownPrimary, _group, probe, _lastActionFailed) is not { } r)
        {
            return;
        }
        var action = r.Action.Kind.ToString().ToLowerInvariant();
        var quiet = r.Reason == ReconcileReason.RenewFence || (r.Reason == ReconcileReason.FenceUndecided && _fencingUndecided);
        _fencingUndecided = r.Reason == ReconcileReason.FenceUndecided;
        switch (r.Reason)
        {
            case ReconcileReason.FenceUndecided when quiet:
                DataNodeLog.RenewingFence(_logger, _group.Name, Member, probe.ToString());
                break;
            case ReconcileReason.FenceUndecided:
                _metrics.DataNodeReconciled(_group.Name, action, "undecided");
                DataNodeLog.FencingUndecided(_logger, _group.Name, Member, probe.ToString());
                break;
            case ReconcileReason.RenewFence:
                DataNodeLog.RenewingFence(_logger, _group.Name, Member, probe.ToString());
                break;
            case ReconcileReason.Disagrees:
                _metrics.DataNodeReconciled(_group.Name, action, "disagrees");
                DataNodeLog.Disagrees(_logger, _group.Name, Member, probe.ToString(), intent.ToString(), r.Action.ToString());
                break;
            default:
                _metrics.DataNodeReconciled(_group.Name, action, "retry");
                DataNodeLog.Retrying(_logger, _group.Name, Member, r.Action.ToString(), probe.ToString());
                break;
        }
        var applied = await DriveDataNodeAsync(r.Action, quiet).ConfigureAwait(true);
        if (r.Action.Kind == DataNodeActionKind.Fence)
        {
            await ReportFenceAsync(applied).ConfigureAwait(true);
        }
    }

    private async Task<DataNodeProbe> ProbeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(DataNodeTimeout);
            return await _dataNode!.ProbeAsync(timeout.Token).WaitAsync(DataNodeTimeout).ConfigureAwait(true);
        }
#pragma warning disable CA1031 // a probe that fails for any reason means "did not answer"
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ProbeFailed(_logger, _group.Name, Member, e);
            return CertainDeath.IsRefusal(e) ? DataNodeProbe.Silent with { CertainlyDead = true } : DataNodeProbe.Silent;
        }
    }

    private TimeSpan DataNodeTimeout => _group.Timings.HeartbeatInterval < TimeSpan.FromSeconds(1)
        ? TimeSpan.FromSeconds(1)
        : _group.Timings.HeartbeatInterval;

    /// <param name="quiet">A routine renewal: log only its failure.</param>
    /// <returns>True when the data node applied the action.</returns>
    /// <param name="action">The action to send to the data node.</param>
    private async Task<bool> DriveDataNodeAsync(DataNodeAction action, bool quiet = false)
    {
        if (_dataNode is null)
        {
            return false;
        }
        _drivenSinceProbe = true;
        try
        {
            using var timeout = new CancellationTokenSource(DataNodeTimeout);
            var task = action.Kind switch
            {
                DataNodeActionKind.Promote => _dataNode.PromoteAsync(timeout.Token),
                DataNodeActionKind.Fence => _dataNode.FenceAsync(timeout.Token),
                DataNodeActionKind.Unfence => _dataNode.UnfenceAsync(timeout.Token),
                _ => FollowAsync(action.PrimaryId!, timeout.Token),
            };
            await task.WaitAsync(DataNodeTimeout).ConfigureAwait(true);
            _lastActionFailed = false;
            if (!quiet)
            {
                Log.DataNodeActionApplied(_logger, _group.Name, Member, action.ToString());
            }
            return true;
        }
#pragma warning disable CA1031 // a failed action is logged and counted; the election outcome stands
        catch (Exception e)
#pragma warning restore CA1031
        {
            _lastActionFailed = true;
            _metrics.DataNodeActionFailed(action.Kind.ToString());
            DataNodeLog.ActionFailed(_logger, _group.Name, Member, action.ToString(), e);
            return false;
        }
    }

    private Task FollowAsync(string primary, CancellationToken cancellationToken)
    {
        var p = _group.Member(primary);
        return _dataNode!.FollowAsync(p.Host, p.ClientPort, cancellationToken);
    }
}
