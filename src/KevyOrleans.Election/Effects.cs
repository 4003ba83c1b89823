namespace KevyOrleans.Election;

/// <summary>
/// The releasable part of an effect batch: messages, data-node actions and events, in the order
/// they arose. Obtainable only from <see cref="EffectBatch"/> once its durable record is committed.
/// </summary>
public sealed class Effects
{
    internal Effects(IReadOnlyList<Outbound> messages, IReadOnlyList<DataNodeAction> actions, IReadOnlyList<ElectorEvent> events,
        CertainDeathNotice? deathNotice = null)
    {
        Messages = messages;
        Actions = actions;
        Events = events;
        DeathNotice = deathNotice;
    }

    /// <summary>A batch that releases nothing.</summary>
    public static Effects None { get; } = new([], [], []);

    /// <summary>Election messages to send to peers.</summary>
    public IReadOnlyList<Outbound> Messages { get; }

    /// <summary>What this member's data node must do, in order.</summary>
    public IReadOnlyList<DataNodeAction> Actions { get; }

    /// <summary>Events for the host to log and count.</summary>
    public IReadOnlyList<ElectorEvent> Events { get; }

    /// <summary>Rule 14: tell every hosted peer that this member's data node is certainly dead (a grain call, not a frame).</summary>
    public CertainDeathNotice? DeathNotice { get; }

    /// <summary>True when there is nothing to send, do or report.</summary>
    public bool IsEmpty => Messages.Count == 0 && Actions.Count == 0 && Events.Count == 0 && DeathNotice is null;
}
