using KevyOrleans.Abstractions;
using KevyOrleans.Election;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Grains.Placement;
using KevyOrleans.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;

namespace KevyOrleans.Grains;

/// <summary>
/// A hosted member as a grain: loads its record from <c>kevy-votes</c>, ticks every hb_interval (which
/// keeps it active), wakes at the elector's next deadline, and hands every input to its
/// <see cref="HostedMember"/>. After a failed commit it deactivates; the next call reloads from storage.
/// </summary>
// Spread placement: a group's members go to distinct silos whenever there are enough; a member that shares
// its silo with one that stays moves as a planned migration (src/README.md, "Placement").
[SpreadPlacement]
internal sealed class MemberGrain(
    [PersistentState("member", KevyStorageNames.ElectionState)] IPersistentState<MemberState> state,
    IGroupCatalog catalog,
    IExternalMemberTransport external,
    TimeProvider time,
    ILogger<MemberGrain> logger,
    KevyMetrics metrics,
    MemberRebalancer rebalancer,
    LocalMembers locals,
    IOptions<MemberRuntimeOptions> options) : Grain, IMemberGrain
{

    private HostedMember? _member;
    private GroupDefinition? _group;
    private IDataNode? _dataNode;
    private IGrainTimer? _wake;
    private long? _wakeAt; // TimeProvider timestamp the wake timer is armed for
    private long _placementCheckAt; // TimeProvider timestamp of the next rebalancing check
    private long _pauseRefreshAt; // TimeProvider timestamp of the next one-way pause refresh
    private bool _moving; // a planned move is under way: this activation takes no more input
    private CancellationTokenSource? _deathWatch; // rule 14: ends the data node's death watch with the activation

    /// <summary>How often a member asks its group grain for the pause again, one-way, in case a push was lost.</summary>
    private static readonly TimeSpan PauseRefreshInterval = TimeSpan.FromSeconds(10);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var (groupName, node) = MemberKey.Parse(key);
        var group = catalog.Find(groupName) ?? throw new InvalidOperationException($"member {key}: no group '{groupName}' is configured");
        if (!group.IsHosted(node))
        {
            throw new InvalidOperationException($"member {key}: '{node}' is not a hosted member of group '{groupName}'");
        }
        IDataNode? dataNode = null;
        if (!group.Election.IsWitness(node))
        {
            var factory = ServiceProvider.GetService<IDataNodeFactory>()
                ?? throw new InvalidOperationException($"member {key} has a data node but no data-node driver is registered");
            dataNode = factory.Create(group, node);
        }
        _dataNode = dataNode;
        _group = group;
        if (group.FastFailover && dataNode is RespDataNode resp)
        {
            StartDeathWatch(resp.CreateDeathWatch(group.Timings.HeartbeatInterval), key, groupName, node);
        }
        locals.Add(key);
        _placementCheckAt = time.GetTimestamp() + Ticks(options.Value.PlacementCheckInterval);
        var outbox = new GrainMemberOutbox(GrainFactory, group, node, external, metrics);
        _member = new HostedMember(group, node, new PersistentStateMemberStore(state), outbox, dataNode, time, logger, metrics,
            options.Value.StorageTimeout, new Random())
        {
            Events = ServiceProvider.GetService<IKevyEventSink>(),
        };
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = group.Timings.HeartbeatInterval,
            Interleave = false,
            KeepAlive = true,
        });
        _wake = this.RegisterGrainTimer(WakeAsync, new GrainTimerCreationOptions
        {
            DueTime = Timeout.InfiniteTimeSpan,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = false,
        });
        _pauseRefreshAt = time.GetTimestamp() + Ticks(PauseRefreshInterval);
        // Maintenance mode, asked one-way: activation never waits on another grain (a member back from a dead
        // silo must heartbeat and fence within the lease window). The answer arrives long before the
        // cold-start grace (down_after) would let this member run.
        GrainFactory.GetGrain<IGroupGrain>(groupName).SendPauseTo(node).Ignore();
        return Task.CompletedTask;
    }

    public Task Leave()
    {
        _moving = true; // takes no more input, as during a move
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task SetPause(GroupPause? pause)
    {
        _member?.SetPause(pause);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        locals.Remove(this.GetPrimaryKeyString());
        if (_deathWatch is { } watch)
        {
            await watch.CancelAsync().ConfigureAwait(true);
            watch.Dispose();
            _deathWatch = null;
        }
        // A RESP data node holds a connection; scripted ones outlive the activation and are not disposable.
        if (_dataNode is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(true);
        }
        await base.OnDeactivateAsync(reason, cancellationToken).ConfigureAwait(true);
    }

    public async Task Deliver(ElectionMessage message)
    {
        if (_member is { IsRetired: false } member && !_moving)
        {
            await member.ReceiveAsync(message).ConfigureAwait(true);
            AfterInput();
        }
    }

    public Task Ensure() => Task.CompletedTask;

    public async Task PeerDataNodeDead(string member, ulong epoch, bool wasPrimary)
    {
        if (_member is { IsRetired: false } self && !_moving)
        {
            await self.PeerDataNodeDeadAsync(new CertainDeathNotice(member, epoch, wasPrimary ? Role.Primary : Role.Replica)).ConfigureAwait(true);
            AfterInput();
        }
    }

    public async Task OwnDataNodeDead()
    {
        if (_member is { IsRetired: false } self && !_moving)
        {
            await self.DataNodeDeadAsync().ConfigureAwait(true);
            AfterInput();
        }
    }

    /// <summary>Rule 14: the data node's death watch, for as long as this activation lives.</summary>
    private void StartDeathWatch(DataNodeDeathWatch watch, string key, string groupName, string node)
    {
        _deathWatch = new CancellationTokenSource();
        DeathWatchRunner.Start(watch, GrainFactory.GetGrain<IMemberGrain>(key), logger, groupName, node, _deathWatch.Token);
    }

    public async Task PlanHandover(string target, TimeSpan within)
    {
        if (_member is { IsRetired: false } member && !_moving)
        {
            await member.PlanHandoverAsync(target, within).ConfigureAwait(true);
            AfterInput();
        }
    }

    public Task<MemberSnapshot> GetStatus() => Task.FromResult(_member!.Snapshot(RuntimeIdentity));

    private async Task TickAsync()
    {
        if (_moving)
        {
            return;
        }
        if (catalog.Find(_group!.Name) is null)
        {
            // The group was removed at run time (RuntimeGroupCatalog): leave without touching the data node.
            _moving = true;
            DeactivateOnIdle();
            return;
        }
        await _member!.TickAsync().ConfigureAwait(true);
        AfterInput();
        if (time.GetTimestamp() >= _pauseRefreshAt)
        {
            _pauseRefreshAt = time.GetTimestamp() + Ticks(PauseRefreshInterval);
            GrainFactory.GetGrain<IGroupGrain>(_member.GroupName).SendPauseTo(_member.Member).Ignore();
        }
        if (!_member.IsRetired && time.GetTimestamp() >= _placementCheckAt)
        {
            _placementCheckAt = time.GetTimestamp() + Ticks(options.Value.PlacementCheckInterval);
            await CheckPlacementAsync(_member).ConfigureAwait(true);
        }
    }

    /// <summary>
    /// A planned move: when this member shares its silo with one of its group that stays and another silo
    /// hosts none of the group, it migrates there. It takes no more input; its state moves with it (the
    /// stored record and its ETag), so the new activation writes nothing to arrive and heartbeats from its
    /// first tick. Only a replica moves: a moved primary would restart as a replica, which is an election.
    /// </summary>
    private async Task CheckPlacementAsync(HostedMember member)
    {
        if (member.Role != Role.Replica || member.KnownPrimary is null)
        {
            return; // the primary stays; with no primary known an election may be running: move once the group is settled
        }
        SiloAddress? target;
        try
        {
            target = await rebalancer.CheckAsync(_group!, member.Member, isPrimary: false, member.KnownPrimary).ConfigureAwait(true);
        }
#pragma warning disable CA1031 // a check that cannot locate the peers now is repeated at the next interval
        catch (Exception e)
#pragma warning restore CA1031
        {
            PlacementLog.CheckFailed(logger, member.GroupName, member.Member, e);
            return;
        }
        if (target is null)
        {
            return;
        }
        _moving = true;
        PlacementLog.Moving(logger, member.GroupName, member.Member, RuntimeIdentity, target.ToString());
        metrics.PlacementMoved(member.GroupName);
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        try
        {
            MigrateOnIdle();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    private async Task WakeAsync()
    {
        if (_moving)
        {
            return;
        }
        _wakeAt = null;
        await _member!.WakeAsync().ConfigureAwait(true);
        AfterInput();
    }

    private void AfterInput()
    {
        if (_member!.IsRetired)
        {
            // The in-memory state may be ahead of storage: drop it; the next call reloads the truth.
            DeactivateOnIdle();
            return;
        }
        // Heartbeats ride the periodic tick. Wake exactly at the next election deadline when it comes
        // before that tick, re-arming only when it moved earlier: re-arming a grain timer on every
        // input was seen to starve the periodic tick.
        var due = _member.UntilNextTimedEvent();
        if (due >= _member.HeartbeatInterval)
        {
            return;
        }
        var at = time.GetTimestamp() + (long)(due.TotalSeconds * time.TimestampFrequency);
        if (_wakeAt is { } armed && armed <= at + (time.TimestampFrequency / 1000))
        {
            return;
        }
        _wakeAt = at;
        _wake!.Change(due, Timeout.InfiniteTimeSpan);
    }
}

/// <summary>Runtime knobs of member grains.</summary>
public sealed class MemberRuntimeOptions
{
    /// <summary>A durable write that takes longer than this counts as failed: nothing is sent, the member reloads.</summary>
    public TimeSpan StorageTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a member checks that it does not share its silo with another member of its group (the supervisor interval).</summary>
    public TimeSpan PlacementCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
