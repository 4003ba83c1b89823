using System.Diagnostics.Metrics;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains;

/// <summary>The grains' counters and histograms, on the meter <c>KevyOrleans</c>.</summary>
public sealed class KevyMetrics
{
    /// <summary>The name of the meter to listen to (OpenTelemetry <c>AddMeter</c>).</summary>
    public const string MeterName = "KevyOrleans";

    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _storageWrites;
    private readonly Counter<long> _storageFailures;
    private readonly Histogram<double> _storageWriteMs;
    private readonly Counter<long> _elections;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _dataNodeFailures;
    private readonly Counter<long> _dataNodeReconciled;
    private readonly Counter<long> _placementMoves;
    private readonly Counter<long> _failoversHeld;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public KevyMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _framesSent = meter.CreateCounter<long>("kevy.frames.sent", description: "Frames released by hosted members, by verb and route");
        _framesDropped = meter.CreateCounter<long>("kevy.frames.dropped", description: "Frames not delivered, by verb and reason");
        _storageWrites = meter.CreateCounter<long>("kevy.storage.writes", description: "Durable records committed");
        _storageFailures = meter.CreateCounter<long>("kevy.storage.write_failures", description: "Durable writes that failed, timed out or conflicted; nothing of their batch was sent");
        _storageWriteMs = meter.CreateHistogram<double>("kevy.storage.write_duration", unit: "ms", description: "Time to commit a durable record");
        _elections = meter.CreateCounter<long>("kevy.elections.won", description: "Elections won by hosted members");
        _conflicts = meter.CreateCounter<long>("kevy.election.conflicts", description: "Protocol violations seen: conflicting ANNOUNCE, two primaries in one epoch, conflicting history");
        _dataNodeFailures = meter.CreateCounter<long>("kevy.datanode.action_failures", description: "Data-node actions that failed or timed out");
        _dataNodeReconciled = meter.CreateCounter<long>("kevy.datanode.reconciled",
            description: "Data-node actions re-applied because the node disagreed with the election or the last action failed, by action and reason");
        _placementMoves = meter.CreateCounter<long>("kevy.placement.moves", description: "Planned moves of members to a silo that hosts no other member of their group");
        _failoversHeld = meter.CreateCounter<long>("kevy.failovers.held",
            description: "Failovers a hosted member held because the last one was more recent than MinimumTimeBetweenFailovers (once per episode)");
    }

    /// <summary>Counts a frame a hosted member released (<c>kevy.frames.sent</c>).</summary>
    /// <param name="verb">The frame's verb.</param>
    /// <param name="route">How it went, e.g. <c>grain</c> for a one-way call to a hosted member.</param>
    public void FrameSent(Verb verb, string route) =>
        _framesSent.Add(1, new("verb", verb.ToWire()), new("route", route));

    /// <summary>Counts a frame that was not delivered (<c>kevy.frames.dropped</c>).</summary>
    /// <param name="verb">The frame's verb.</param>
    /// <param name="reason">Why it was dropped: <c>no-gateway</c>, <c>epoch</c>, <c>stranger</c>...</param>
    public void FrameDropped(Verb verb, string reason) =>
        _framesDropped.Add(1, new("verb", verb.ToWire()), new("reason", reason));

    /// <summary>Counts a committed durable record of a member in <paramref name="group"/> and records how long the commit took.</summary>
    /// <param name="group">The member's group.</param>
    /// <param name="milliseconds">The time the vote storage took to commit.</param>
    public void StorageWritten(string group, double milliseconds)
    {
        _storageWrites.Add(1, new KeyValuePair<string, object?>("group", group));
        _storageWriteMs.Record(milliseconds, new KeyValuePair<string, object?>("group", group));
    }

    /// <summary>Counts a durable write that failed, timed out or conflicted (<c>kevy.storage.write_failures</c>).</summary>
    /// <param name="group">The member's group.</param>
    /// <param name="reason">Why the write failed.</param>
    public void StorageFailed(string group, string reason) =>
        _storageFailures.Add(1, new("group", group), new("reason", reason));

    /// <summary>Counts an election won by a hosted member of <paramref name="group"/>.</summary>
    public void ElectionWon(string group) => _elections.Add(1, new KeyValuePair<string, object?>("group", group));

    /// <summary>Counts a protocol violation seen in <paramref name="group"/> (<c>kevy.election.conflicts</c>).</summary>
    /// <param name="group">The group it was seen in.</param>
    /// <param name="kind">Which violation: conflicting ANNOUNCE, two primaries in one epoch, conflicting history.</param>
    public void Conflict(string group, string kind) => _conflicts.Add(1, new("group", group), new("kind", kind));

    /// <summary>Counts a data-node action (promote, follow, fence, unfence) that failed or timed out.</summary>
    public void DataNodeActionFailed(string action) => _dataNodeFailures.Add(1, new KeyValuePair<string, object?>("action", action));

    /// <summary>Counts a data-node action re-applied by reconciliation (<c>kevy.datanode.reconciled</c>).</summary>
    /// <param name="group">The member's group.</param>
    /// <param name="action">The action re-applied.</param>
    /// <param name="reason">Why: the node disagreed, the last action failed, a fence renewal.</param>
    public void DataNodeReconciled(string group, string action, string reason) =>
        _dataNodeReconciled.Add(1, new("group", group), new("action", action), new("reason", reason));

    /// <summary>Counts a planned move of a member of <paramref name="group"/> to spread its group (<c>kevy.placement.moves</c>).</summary>
    public void PlacementMoved(string group) => _placementMoves.Add(1, new KeyValuePair<string, object?>("group", group));

    /// <summary>Counts a failover held by anti-flapping (<c>kevy.failovers.held</c>), once per member and episode.</summary>
    /// <param name="group">The group.</param>
    public void FailoverHeld(string group) => _failoversHeld.Add(1, new KeyValuePair<string, object?>("group", group));
}
