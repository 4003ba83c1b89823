using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>
/// Gathers what one input produces. Reused across inputs so an input that produces nothing
/// (most heartbeats) allocates nothing.
/// </summary>
internal sealed class EffectCollector
{
    private readonly List<Outbound> _messages = [];
    private readonly List<DataNodeAction> _actions = [];
    private readonly List<ElectorEvent> _events = [];
    private CertainDeathNotice? _deathNotice;

    /// <summary>Set when the input changed durable state: the batch must carry the record.</summary>
    public bool DurableChanged { get; set; }

    public void Send(string to, ElectionMessage message) => _messages.Add(new Outbound(to, message));

    public void Broadcast(ElectionMessage message) => _messages.Add(new Outbound(null, message));

    /// <summary>While set (the group is paused) data-node actions are dropped: the host leaves the node as it is.</summary>
    public bool HoldActions { get; set; }

    public void Act(DataNodeAction action)
    {
        if (!HoldActions)
        {
            _actions.Add(action);
        }
    }

    public void Note(ElectorEvent e) => _events.Add(e);

    public void NotifyDeath(CertainDeathNotice notice) => _deathNotice = notice;

    public bool IsEmpty => !DurableChanged && _messages.Count == 0 && _actions.Count == 0 && _events.Count == 0 && _deathNotice is null;

    public Effects TakeEffects()
    {
        if (_messages.Count == 0 && _actions.Count == 0 && _events.Count == 0 && _deathNotice is null)
        {
            return Effects.None;
        }
        var effects = new Effects([.. _messages], [.. _actions], [.. _events], _deathNotice);
        _deathNotice = null;
        _messages.Clear();
        _actions.Clear();
        _events.Clear();
        return effects;
    }
}
