using KevyOrleans.Election;

namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>One member in the simulation: its elector (null while crashed), storage, clock and data node.</summary>
internal sealed class SimNode(string id, ElectorConfig config)
{
    public string Id { get; } = id;

    public ElectorConfig Config { get; } = config;

    public DurableStore Store { get; } = new();

    public Elector? Elector { get; set; }

    public bool IsRunning => Elector is not null;

    /// <summary>Each process has its own monotonic clock base; a restart draws a new one.</summary>
    public TimeSpan ClockOffset { get; set; }

    /// <summary>While the simulated time is before this, the node processes nothing (a GC or VM pause).</summary>
    public TimeSpan PausedUntil { get; set; }

    /// <summary>The member's data node: a separate process that outlives the member's crashes.</summary>
    public DataNode Data { get; } = new(id);

    public bool DataNodeUp
    {
        get => Data.Up;
        set => Data.Up = value;
    }

    /// <summary>The data node's offset (its history's length); setting it pads or truncates the history.</summary>
    public ulong DataOffset
    {
        get => Data.Offset;
        set => Data.SetLength(value, () => Interlocked.Decrement(ref s_padding));
    }

    private static long s_padding;

    public int Restarts { get; set; }

    /// <summary>Crashed, and the next OFFER for it reactivates it (as a grain call does) before any probe.</summary>
    public bool ReactivateOnOffer { get; set; }

    /// <summary>Bumped whenever an elector starts (restart or reload after a failed write): old timers die.</summary>
    public long Incarnation { get; set; }

    /// <summary>Data-node actions in the order released, for assertions.</summary>
    public List<DataNodeAction> Actions { get; } = [];

    public List<ElectorEvent> Events { get; } = [];

    // Wake-up bookkeeping: only the newest scheduled wake counts.
    public long WakeVersion { get; set; }

    public TimeSpan? WakeAt { get; set; }

    public TimeSpan Local(TimeSpan global) => global + ClockOffset;

    public override string ToString() => Elector is { } e
        ? $"{Id}: {e.Role} epoch={e.Epoch} primary={e.KnownPrimary ?? "-"} intent={e.Intent} data: {Data}"
        : $"{Id}: down, data: {Data}";
}
