using KevyOrleans.Abstractions;

namespace KevyOrleans.Grains;

// Maintenance mode: the group grain's pause, held here and handed to the elector (Elector.SetPaused),
// which decides everything it means. The expiry is wall-clock time, read at every tick.
public sealed partial class HostedMember
{
    private GroupPause? _pause;

    /// <summary>The group's pause as this member holds it, when in force now; null otherwise (never set, resumed or expired).</summary>
    public GroupPause? Pause => _pause is { } p && p.InForceAt(_time.GetUtcNow()) ? p : null;

    /// <summary>The group's maintenance mode as its group grain holds it (null: not paused); takes effect at once.</summary>
    public void SetPause(GroupPause? pause)
    {
        _pause = pause;
        ApplyPause();
    }

    /// <summary>Hands the pause in force to the elector; logs each change, an expiry included.</summary>
    private void ApplyPause()
    {
        var pause = Pause;
        if ((pause is not null) == _elector.IsPaused)
        {
            return;
        }
        _elector.SetPaused(pause is not null);
        if (pause is not null)
        {
            PauseLog.MemberPaused(_logger, _group.Name, Member, pause.Until is { } u ? PauseLog.Describe(u) : "resumed by an operator");
        }
        else
        {
            PauseLog.MemberResumed(_logger, _group.Name, Member, _pause is null ? "resumed by an operator" : "the pause expired");
        }
    }
}
