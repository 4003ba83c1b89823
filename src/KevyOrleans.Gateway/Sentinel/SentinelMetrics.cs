using System.Diagnostics.Metrics;
using KevyOrleans.Grains;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>The Sentinel endpoint's instruments, on the meter <c>KevyOrleans</c>, all named <c>kevy.sentinel.*</c>.</summary>
public sealed class SentinelMetrics
{
    private readonly Counter<long> _commands;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _events;
    private readonly UpDownCounter<long> _connections;

    /// <summary>Creates the instruments on the <c>KevyOrleans</c> meter.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public SentinelMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(KevyMetrics.MeterName);
        _commands = meter.CreateCounter<long>("kevy.sentinel.commands", description: "Commands answered by the Sentinel endpoint, by command");
        _rejected = meter.CreateCounter<long>("kevy.sentinel.rejected", description: "Connections or requests the Sentinel endpoint refused or closed, by reason");
        _events = meter.CreateCounter<long>("kevy.sentinel.events", description: "Sentinel events published by this silo, by channel");
        _connections = meter.CreateUpDownCounter<long>("kevy.sentinel.connections", description: "Open connections to the Sentinel endpoint");
    }

    /// <summary>Counts one command (known commands by name, the rest as <c>other</c>).</summary>
    /// <param name="command">The command, upper case.</param>
    public void Command(string command) => _commands.Add(1, new KeyValuePair<string, object?>("command", command));

    /// <summary>Counts a refusal or a closed connection.</summary>
    /// <param name="reason">Why, as a short tag.</param>
    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts an event published.</summary>
    /// <param name="channel">The event's channel.</param>
    public void Published(string channel) => _events.Add(1, new KeyValuePair<string, object?>("channel", channel));

    /// <summary>Counts a connection opening (+1) or closing (-1).</summary>
    /// <param name="delta">+1 or -1.</param>
    public void Connections(int delta) => _connections.Add(delta);
}
