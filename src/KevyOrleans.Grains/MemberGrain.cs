using KevyOrleans.Abstractions;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Grains;

/// <summary>
/// A hosted member as a grain: loads its record from <c>kevy-votes</c>, ticks every hb_interval (which
/// keeps it active), wakes at the elector's next deadline, and hands every input to its
/// <see cref="HostedMember"/>. After a failed commit it deactivates; the next call reloads from storage.
/// </summary>
// Random placement: a member goes to any silo. It does not keep a group's members apart: at a cold start
// the first silo up activates them all, and Orleans does not rebalance, so they may share one silo until
// a failure moves them (src/README.md, "Placement"). Losing that silo is survived, as the cluster tests show.
[Orleans.Placement.RandomPlacement]
internal sealed class MemberGrain(
    [PersistentState("member", KevyStorageNames.ElectionState)] IPersistentState<MemberState> state,
    IGroupCatalog catalog,
    IExternalMemberTransport external,
    TimeProvider time,
    ILogger<MemberGrain> logger,
    KevyMetrics metrics,
    IOptions<MemberRuntimeOptions> options) : Grain, IMemberGrain
{

    private HostedMember? _member;
    private IDataNode? _dataNode;
    private IGrainTimer? _wake;
    private long? _wakeAt; // TimeProvider timestamp the wake timer is armed for

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
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A RESP data node holds a connection; scripted ones outlive the activation and are not disposable.
        if (_dataNode is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(true);
        }
        await base.OnDeactivateAsync(reason, cancellationToken).ConfigureAwait(true);
    }

    public async Task Deliver(ElectionMessage message)
    {
        if (_member is { IsRetired: false } member)
        {
            await member.ReceiveAsync(message).ConfigureAwait(true);
            AfterInput();
        }
    }

    public Task Ensure() => Task.CompletedTask;

    public async Task PlanHandover(string target, TimeSpan within)
    {
        if (_member is { IsRetired: false } member)
        {
            await member.PlanHandoverAsync(target, within).ConfigureAwait(true);
            AfterInput();
        }
    }

    public Task<MemberSnapshot> GetStatus() => Task.FromResult(_member!.Snapshot(RuntimeIdentity));

    private async Task TickAsync()
    {
        await _member!.TickAsync().ConfigureAwait(true);
        AfterInput();
    }

    private async Task WakeAsync()
    {
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
}
