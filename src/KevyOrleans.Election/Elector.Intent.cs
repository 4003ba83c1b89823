using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// What the data node should be doing now: read by the host every tick to reconcile the data node.
public sealed partial class Elector
{
    /// <summary>
    /// What the member's data node should be doing according to the election: take writes, stay fenced,
    /// follow <see cref="KnownPrimary"/>, or nothing decided yet. Cheap: no allocation.
    /// </summary>
    public DataNodeIntent Intent => _role switch
    {
        _ when _paused => DataNodeIntent.Held,
        Role.Primary => _fenced ? DataNodeIntent.FencedPrimary : DataNodeIntent.Primary,
        _ when _primary is not null && _primary != Self => DataNodeIntent.Replica,
        _ when _fenced => DataNodeIntent.FencedPrimary, // stepped down for a handover (or voted while fenced): stays fenced until it follows
        _ => DataNodeIntent.Undecided,
    };
}
