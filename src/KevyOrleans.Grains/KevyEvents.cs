using KevyOrleans.Election;

namespace KevyOrleans.Grains;

/// <summary>
/// One event an operator's webhook receives (<c>Kevy:Hooks</c>): an election won, a switchover completed or
/// abandoned, a fence applied or lifted, a protocol conflict. As the hosted member that saw it reports it.
/// </summary>
/// <param name="Kind"><c>election</c>, <c>switchover</c>, <c>switchover-abandoned</c>, <c>fence</c>, <c>unfence</c> or <c>conflict</c>.</param>
/// <param name="Group">The group.</param>
/// <param name="Member">The hosted member that reports it.</param>
/// <param name="Epoch">Its epoch then.</param>
/// <param name="Subject">The member the event is about (the new primary, the switchover target), when there is one.</param>
/// <param name="Detail">Why, in words.</param>
/// <param name="At">When the member saw it.</param>
public sealed record KevyEvent(string Kind, string Group, string Member, ulong Epoch, string? Subject, string? Detail, DateTimeOffset At)
{
    /// <summary>The hook event for an elector event, or null for the kinds hooks do not carry.</summary>
    public static KevyEvent? From(ElectorEvent e, string group, string member, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(e);
        var kind = e.Kind switch
        {
            ElectorEventKind.BecamePrimary => "election",
            ElectorEventKind.HandoverCompleted => "switchover",
            ElectorEventKind.HandoverAbandoned => "switchover-abandoned",
            ElectorEventKind.Fenced => "fence",
            ElectorEventKind.Unfenced => "unfence",
            ElectorEventKind.ConflictingAnnounce or ElectorEventKind.ConflictingPrimary => "conflict",
            _ => null,
        };
        var subject = e.Kind == ElectorEventKind.BecamePrimary ? member : e.Member;
        return kind is null ? null : new KevyEvent(kind, group, member, e.Epoch, subject, e.Detail ?? e.ToString(), at);
    }
}

/// <summary>
/// Takes the members' <see cref="KevyEvent"/>s (the webhook dispatcher). <see cref="Publish"/> is called on the
/// member's own turn, so it must return at once: queue, never send or wait.
/// </summary>
public interface IKevyEventSink
{
    /// <summary>Queues <paramref name="e"/>; never blocks, never throws. Null (an elector event hooks do not carry) is ignored.</summary>
    void Publish(KevyEvent? e);
}
