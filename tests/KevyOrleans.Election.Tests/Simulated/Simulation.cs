using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>
/// A discrete-event simulation of one group: electors with in-memory durable storage, a virtual
/// clock, and a network that delays, loses, duplicates and reorders frames. Fully deterministic
/// for a seed. Faults are methods (crash, restart, partition, pause, failing storage); scenario
/// tests call them directly, <see cref="RandomSchedule"/> calls them at random.
/// </summary>
internal sealed partial class Simulation
{
    private readonly PriorityQueue<SimEvent, (TimeSpan At, long Seq)> _queue = new();
    private readonly Dictionary<string, SimNode> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<(string From, string To)> _blocked = [];
    private readonly HashSet<(string From, string To)> _heartbeatsLost = [];
    private readonly HashSet<string> _stampless = [];
    private readonly TraceLog? _trace;
    private long _seq;

    public Simulation(ElectionGroup group, ElectionTimings timings, int seed, NetworkConditions? network = null, bool trace = false, FailoverPolicy? failover = null, bool fastFailover = true,
        TimeSpan minimumTimeBetweenFailovers = default)
    {
        Group = group;
        Failover = failover ?? FailoverPolicy.Unrestricted;
        Safety.Failover = Failover;
        Timings = timings;
        Random = new Random(seed);
        Network = network ?? NetworkConditions.Perfect;
        _trace = trace ? new TraceLog(int.TryParse(Environment.GetEnvironmentVariable("KEVY_SIM_TRACE_LINES"), out var lines) ? lines : 400) : null;
        foreach (var m in group.Members)
        {
            var node = new SimNode(m.Id, new ElectorConfig(m.Id, group, timings) { Failover = Failover, FastFailover = fastFailover, MinimumTimeBetweenFailovers = minimumTimeBetweenFailovers }) { ClockOffset = RandomClockOffset() };
            _nodes.Add(m.Id, node);
        }
        Data = new DataPlane(this);
        foreach (var node in _nodes.Values)
        {
            StartElector(node);
        }
    }

    public ElectionGroup Group { get; }

    public ElectionTimings Timings { get; }

    /// <summary>Who may become primary: every member holds the same policy (issue 15, item 2).</summary>
    public FailoverPolicy Failover { get; }

    public Random Random { get; }

    public NetworkConditions Network { get; set; }

    public SafetyChecker Safety { get; } = new();

    /// <summary>Client writes, replication, acknowledgements and S7; driven by <see cref="StartDataPlane"/>.</summary>
    public DataPlane Data { get; private set; } = null!;

    /// <summary>Both directions of the link between two members work (the data nodes share their hosts' links).</summary>
    public bool Reachable(string a, string b) => !_blocked.Contains((a, b)) && !_blocked.Contains((b, a));

    /// <summary>
    /// Runs a data step every <see cref="DataPlane.StepInterval"/> until <paramref name="until"/>;
    /// clients write until <paramref name="writesUntil"/>.
    /// </summary>
    public void StartDataPlane(TimeSpan until, TimeSpan writesUntil)
    {
        for (var t = DataPlane.StepInterval; t < until; t += DataPlane.StepInterval)
        {
            var write = t < writesUntil;
            At(t, () => Data.Step(write));
        }
    }

    public TimeSpan Now { get; private set; }

    public IEnumerable<SimNode> Nodes => _nodes.Values;

    public SimNode this[string id] => _nodes[id];

    public long FramesSent { get; private set; }

    public string TraceTail => _trace?.ToString() ?? "(run the seed again with tracing for a trace)";

    // ---- running ----

    public void RunFor(TimeSpan duration) => RunUntil(Now + duration);

    public void RunUntil(TimeSpan until)
    {
        while (_queue.TryPeek(out _, out var key) && key.At <= until)
        {
            var e = _queue.Dequeue();
            Now = key.At;
            Process(e);
        }
        Now = until;
    }

    /// <summary>Runs until <paramref name="condition"/> holds (checked after each event) or the limit passes.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan limit)
    {
        var until = Now + limit;
        while (!condition())
        {
            if (!_queue.TryPeek(out _, out var key) || key.At > until)
            {
                Now = until;
                return condition();
            }
            var e = _queue.Dequeue();
            Now = key.At;
            Process(e);
        }
        return true;
    }

    /// <summary>Runs <paramref name="action"/> at simulated time <paramref name="at"/>.</summary>
    public void At(TimeSpan at, Action action) => Enqueue(at, new SimEvent(SimEventKind.Action, "", default, null, 0, action));

    // ---- internals ----

    private void StartElector(SimNode node) => StartElector(node, TimeSpan.Zero);

    /// <summary>Starts an elector over storage; its first probe and tick run after <paramref name="firstTickAfter"/>.</summary>
    private void StartElector(SimNode node, TimeSpan firstTickAfter)
    {
        node.Elector = new Elector(node.Config, node.Store.Committed, node.Local(Now), new Random(Random.Next()));
        node.WakeAt = null;
        node.WakeVersion++;
        node.Incarnation++;
        Safety.OnEpoch(node.Id, node.Elector.Epoch);
        // Process start-up: probe the data node and tick at once, then every hb_interval, in its own phase.
        Enqueue(Now + firstTickAfter, new SimEvent(SimEventKind.Tick, node.Id, default, null, node.Incarnation, null));
    }

    private TimeSpan RandomClockOffset() => TimeSpan.FromMilliseconds(Random.Next(0, 3_600_000));

    private void Enqueue(TimeSpan at, SimEvent e) => _queue.Enqueue(e, (at, _seq++));

    private void Process(SimEvent e)
    {
        if (e.Kind == SimEventKind.Action)
        {
            e.Action!();
            return;
        }
        var node = _nodes[e.Node];
        if (node.PausedUntil > Now)
        {
            // A paused process handles nothing; what arrived meanwhile waits, in order.
            Enqueue(node.PausedUntil, e);
            return;
        }
        if (node.Elector is null && e.Kind == SimEventKind.Deliver && node.ReactivateOnOffer && e.Message.Verb == Verb.Offer)
        {
            Reactivate(node);
        }
        if (node.Elector is not { } elector)
        {
            return; // crashed: frames are lost, timers are gone
        }
        switch (e.Kind)
        {
            case SimEventKind.Tick:
                if (e.Generation != node.Incarnation)
                {
                    return; // a timer of a previous incarnation
                }
                Enqueue(Now + Timings.HeartbeatInterval, e);
                // The grain's order (HostedMember.TickAsync): probe, tick, then reconcile the data node
                // with the intent the elector holds after seeing the time that passed (a member that
                // resumes from a long pause fences before it reapplies anything).
                // A killed data node refuses the probe's connection: certain death (rule 14), not just silence.
                Step(node, node.Data.Killed
                    ? elector.ObserveDataNodeDead(node.Local(Now))
                    : elector.ObserveDataNode(node.Data.Up, node.Data.Offset, node.Local(Now)));
                if (node.Elector is { } ticked)
                {
                    Step(node, ticked.Tick(node.Local(Now)));
                }
                if (node.Elector is { } reconciling)
                {
                    Reconcile(node, reconciling);
                }
                break;
            case SimEventKind.Wake:
                if (e.Generation != node.WakeVersion)
                {
                    return;
                }
                node.WakeAt = null;
                Step(node, elector.Tick(node.Local(Now)));
                break;
            case SimEventKind.Deliver:
                Log($"{e.Node} <- {e.Message}");
                Step(node, elector.Receive(e.Message, node.Local(Now)));
                break;
        }
    }

    /// <summary>Commits a batch's record (or fails it), releases its effects, checks safety.</summary>
    private void Step(SimNode node, EffectBatch batch)
    {
        Effects effects;
        if (batch.RecordToCommit is { } record)
        {
            if (!node.Store.TryWrite(record, Random))
            {
                batch.CommitFailed();
                Log($"{node.Id}: write of {record} failed; reloading from storage");
                // The grain deactivates; the next call activates a fresh one from storage.
                node.Elector = null;
                StartElector(node);
                return;
            }
            effects = batch.Committed();
        }
        else
        {
            effects = batch.Release();
        }
        var elector = node.Elector!;
        foreach (var ev in effects.Events)
        {
            node.Events.Add(ev);
            Safety.OnEvent(node.Id, ev);
            Log($"{node.Id}: {ev}");
            // The switchover's own step-down, not a vote for the target: a fenced primary that votes for a
            // successor while its fence fails is the orphan case S7 counts.
            if (ev.Kind == ElectorEventKind.SteppedDownForHandover && elector.Handover is { } plan && plan.Target == ev.Member && plan.Target != node.Id)
            {
                Data.OnSteppedDownForHandover(node, plan.Target);
            }
        }
        node.Actions.AddRange(effects.Actions);
        bool? fenceResult = null;
        if (!Group.IsWitness(node.Id))
        {
            foreach (var action in effects.Actions)
            {
                var applied = ApplyToDataNode(node, action);
                if (action.Kind == DataNodeActionKind.Fence)
                {
                    fenceResult = applied;
                }
            }
        }
        foreach (var outbound in effects.Messages)
        {
            Send(node, outbound);
        }
        if (effects.DeathNotice is { } notice)
        {
            SendDeathNotice(node, notice);
        }
        Safety.OnEpoch(node.Id, elector.Epoch);
        Safety.Writes?.CheckIntents();
        ScheduleWake(node, elector);
        // The host reports each fence's result: applied when the data node took the pause, failed when not.
        if (fenceResult is { } fenced && node.Elector is { } fencing)
        {
            Step(node, fencing.ObserveFence(fenced, node.Local(Now)));
        }
    }

    private bool ApplyToDataNode(SimNode node, DataNodeAction action)
    {
        if (!node.Data.Apply(action, Group.Quorum - 1, Now))
        {
            Log($"{node.Id} data node: {action} failed");
            return false;
        }
        Log($"{node.Id} data node: {action} -> {node.Data}");
        if (action.Kind == DataNodeActionKind.Promote)
        {
            Data.OnPromoted(node.Data, node.Elector?.Epoch ?? 0);
        }
        return true;
    }

    /// <summary>
    /// The member's tick reconciles its data node with the elector's intent, as the grain's agent does:
    /// a fenced intent renews the pause; an action that failed while the node was down is applied again.
    /// </summary>
    private void Reconcile(SimNode node, Elector elector)
    {
        if (Group.IsWitness(node.Id) || !node.Data.Up)
        {
            return;
        }
        var intent = elector.Intent;
        if (intent == DataNodeIntent.FencedPrimary)
        {
            if (!node.Data.IsPaused(Now))
            {
                Step(node, elector.ObserveFence(ApplyToDataNode(node, DataNodeAction.Fence), node.Local(Now)));
            }
            node.Data.RenewPause(Now);
        }
        else
        {
            // As DataNodeReconciler: retry a failed action, and correct a data node whose role disagrees
            // with the intent (a promotion that failed while the node was down, then a fence that worked).
            var action = intent switch
            {
                DataNodeIntent.Primary when node.Data.NeedsReconcile || !node.Data.IsMaster => DataNodeAction.Promote,
                DataNodeIntent.Replica when elector.KnownPrimary is { } p && (node.Data.NeedsReconcile || node.Data.ReplicaOf != p) =>
                    DataNodeAction.Follow(p, Group.Members.Get(p).ClientAddress),
                _ => null,
            };
            node.Data.NeedsReconcile = false;
            if (action is not null)
            {
                ApplyToDataNode(node, action);
            }
        }
    }

    private void Send(SimNode from, Outbound outbound)
    {
        if (outbound.To is { } to)
        {
            Transmit(from, to, outbound.Message);
            return;
        }
        foreach (var m in Group.Members)
        {
            if (m.Id != from.Id)
            {
                Transmit(from, m.Id, outbound.Message);
            }
        }
    }

    private void Transmit(SimNode from, string to, in ElectionMessage sent)
    {
        // A member speaking as an external kevy member: its frames carry no stamp, so they count from arrival.
        var message = sent.Stamp is not null && _stampless.Contains(from.Id) ? sent with { Stamp = null } : sent;
        Safety.OnSend(from.Id, message, from.Store.Committed, to);
        if (message.Verb == Verb.Accept)
        {
            Data.OnVoteSent(from.Id, message.Epoch);
        }
        FramesSent++;
        Remember(to, message);
        if (_blocked.Contains((from.Id, to)) || (message.Verb == Verb.Heartbeat && _heartbeatsLost.Contains((from.Id, to)))
            || (Network.LossRate > 0 && Random.NextDouble() < Network.LossRate))
        {
            return;
        }
        var copies = Network.DuplicateRate > 0 && Random.NextDouble() < Network.DuplicateRate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            Enqueue(Now + Delay(), new SimEvent(SimEventKind.Deliver, to, message, from.Id, 0, null));
        }
    }

    private TimeSpan Delay()
    {
        var span = Network.MaxDelay - Network.MinDelay;
        return span <= TimeSpan.Zero ? Network.MinDelay : Network.MinDelay + TimeSpan.FromTicks((long)(Random.NextDouble() * span.Ticks));
    }

    private void ScheduleWake(SimNode node, Elector elector)
    {
        var at = elector.NextDeadline - node.ClockOffset; // local deadline -> simulated time
        if (at < Now)
        {
            at = Now;
        }
        if (node.WakeAt is { } scheduled && scheduled <= at)
        {
            return;
        }
        node.WakeAt = at;
        node.WakeVersion++;
        Enqueue(at, new SimEvent(SimEventKind.Wake, node.Id, default, null, node.WakeVersion, null));
    }

    private void Log(string line) => _trace?.Add(Now, line);
}
