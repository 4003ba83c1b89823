using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// Maintenance mode ("pause"): an operator's input that holds automatic failover for a group. A paused
// member still heartbeats, answers and votes exactly as before, so the group's view of itself stays
// current and external kevy members keep their own rules; it only stops acting on its own behalf.
public sealed partial class Elector
{
    private bool _paused;

    /// <summary>True while the group is paused (see <see cref="SetPaused"/>).</summary>
    public bool IsPaused => _paused;

    /// <summary>
    /// Pauses or resumes automatic failover for this member. While paused the member never starts a
    /// candidacy (a candidacy under way is abandoned without announcing), ignores switchover plans,
    /// emits no data-node action (no promote, follow, fence or unfence) and reports
    /// <see cref="DataNodeIntent.Held"/>, so its host leaves the data node as it is. Heartbeats, votes
    /// and the tracking of peers, epochs and the primary go on unchanged, so on resume the member
    /// acts on what is true then: it runs if the primary is down, and its host brings the data node in
    /// line with <see cref="Intent"/>. Takes effect at once; call it between inputs.
    /// </summary>
    /// <param name="paused">True to pause, false to resume.</param>
    public void SetPaused(bool paused)
    {
        if (paused == _paused)
        {
            return;
        }
        _paused = paused;
        _out.HoldActions = paused;
        if (!paused)
        {
            return;
        }
        _handover = null; // a plan under way lapses: nobody may run or step down for it while paused
        if (_role == Role.Candidate)
        {
            // Its vote for itself stays durable, as after a timeout; nothing was announced, so nobody follows it.
            _role = Role.Replica;
            _votesReceived.Clear();
        }
    }
}
