namespace KevyOrleans.Election;

/// <summary>
/// The releasable part of an effect batch: messages, data-node actions and events, in the order
/// they arose. Obtainable only from <see cref="EffectBatch"/> once its durable record is committed.
/// </summary>
public sealed class Effects
{
    internal Effects(IReadOnlyList<Outbound> messages, IReadOnlyList<DataNodeAction> actions, IReadOnlyList<ElectorEvent> events)
    {
        Messages = messages;
        Actions = actions;
        Events = events;
    }

    public static Effects None { get; } = new([], [], []);

    public IReadOnlyList<Outbound> Messages { get; }

    public IReadOnlyList<DataNodeAction> Actions { get; }

    public IReadOnlyList<ElectorEvent> Events { get; }

    public bool IsEmpty => Messages.Count == 0 && Actions.Count == 0 && Events.Count == 0;
}
