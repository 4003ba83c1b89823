using System.Diagnostics.Metrics;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;

namespace KevyOrleans.Gateway;

/// <summary>The gateway's counters, on the meter <c>KevyOrleans</c>.</summary>
public sealed class GatewayMetrics
{
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _framesOut;
    private readonly Counter<long> _rejected;
    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _queueDepth;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _reconnects;

    /// <summary>Creates the gateway's counters on the <c>KevyOrleans</c> meter.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(KevyMetrics.MeterName);
        _framesIn = meter.CreateCounter<long>("kevy.gateway.frames.in", description: "Frames received from the wire and handed to a member, by verb");
        _framesOut = meter.CreateCounter<long>("kevy.gateway.frames.out", description: "Frames written to external members, by verb");
        _rejected = meter.CreateCounter<long>("kevy.gateway.rejected", description: "Inbound frames or connections refused, by reason");
        _connections = meter.CreateUpDownCounter<long>("kevy.gateway.connections", description: "Open connections, by direction");
        _queueDepth = meter.CreateUpDownCounter<long>("kevy.gateway.queue.depth", description: "Frames waiting in outbound queues");
        _dropped = meter.CreateCounter<long>("kevy.gateway.dropped", description: "Outbound frames never written: evicted by a full queue, left at stop, for an unknown member; by verb");
        _reconnects = meter.CreateCounter<long>("kevy.gateway.reconnects", description: "Outbound reconnect attempts");
    }

    /// <summary>Counts a frame received from the wire and handed to a hosted member.</summary>
    /// <param name="verb">The frame's verb.</param>
    public void FrameIn(Verb verb) => _framesIn.Add(1, new KeyValuePair<string, object?>("verb", verb.ToWire()));

    /// <summary>Counts a frame written to an external member.</summary>
    /// <param name="verb">The frame's verb.</param>
    public void FrameOut(Verb verb) => _framesOut.Add(1, new KeyValuePair<string, object?>("verb", verb.ToWire()));

    /// <summary>Counts an inbound frame or connection the gateway refused.</summary>
    /// <param name="reason">Why, as a short tag.</param>
    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a connection opening.</summary>
    /// <param name="direction">Inbound or outbound.</param>
    public void ConnectionOpened(string direction) => _connections.Add(1, new KeyValuePair<string, object?>("direction", direction));

    /// <summary>Counts a connection closing.</summary>
    /// <param name="direction">Inbound or outbound.</param>
    public void ConnectionClosed(string direction) => _connections.Add(-1, new KeyValuePair<string, object?>("direction", direction));

    /// <summary>Adjusts the number of frames waiting in outbound queues.</summary>
    /// <param name="delta">Frames added (positive) or removed (negative).</param>
    public void QueueDepthChanged(long delta) => _queueDepth.Add(delta);

    /// <summary>Counts an outbound frame that was never written (evicted by a full queue, left at stop, or for an unknown member).</summary>
    /// <param name="verb">The frame's verb.</param>
    public void Dropped(Verb verb) => _dropped.Add(1, new KeyValuePair<string, object?>("verb", verb.ToWire()));

    /// <summary>Counts an outbound reconnect attempt.</summary>
    public void Reconnect() => _reconnects.Add(1);
}
