using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

// The faults scenario tests and RandomSchedule inject: crashes, partitions, pauses, switchovers.
internal sealed partial class Simulation
{
    public void Crash(string id)
    {
        var node = _nodes[id];
        node.Elector = null;
        Log($"{id} crashed");
    }

    public void Restart(string id)
    {
        var node = _nodes[id];
        if (node.IsRunning)
        {
            return;
        }
        node.ReactivateOnOffer = false;
        node.ClockOffset = RandomClockOffset();
        node.Restarts++;
        StartElector(node);
        Log($"{id} restarted from {node.Store.Committed}");
    }

    /// <summary>Cuts every link between <paramref name="side"/> and the rest, both ways.</summary>
    public void Partition(IEnumerable<string> side)
    {
        var a = side.ToHashSet(StringComparer.Ordinal);
        foreach (var x in a)
        {
            foreach (var y in _nodes.Keys.Where(k => !a.Contains(k)))
            {
                _blocked.Add((x, y));
                _blocked.Add((y, x));
            }
        }
        Log($"partition [{string.Join(',', a)}] | rest");
    }

    /// <summary>Frames from <paramref name="from"/> to <paramref name="to"/> are lost; the other way works.</summary>
    public void BlockLink(string from, string to)
    {
        _blocked.Add((from, to));
        Log($"link {from} -> {to} cut");
    }

    /// <summary>
    /// Heartbeats from <paramref name="from"/> to <paramref name="to"/> are lost; every other frame
    /// arrives. A pattern of frame loss (safety must hold under any), built on purpose.
    /// </summary>
    public void LoseHeartbeats(string from, string to)
    {
        _heartbeatsLost.Add((from, to));
        Log($"heartbeats {from} -> {to} lost");
    }

    /// <summary>
    /// <paramref name="id"/>'s frames leave without their <see cref="HeartbeatStamp"/>, as an external kevy
    /// member's do: its peers count them from their arrival (the lease's rule 8 assumption) until
    /// <see cref="SpeakWithStamps"/>.
    /// </summary>
    public void SpeakWithoutStamps(string id)
    {
        _stampless.Add(id);
        Log($"{id} speaks without stamps (as an external kevy member)");
    }

    public void SpeakWithStamps()
    {
        _stampless.Clear();
        Log("every member stamps its frames again");
    }

    public void HealNetwork()
    {
        _blocked.Clear();
        _heartbeatsLost.Clear();
        Log("network healed");
    }

    public void Pause(string id, TimeSpan duration)
    {
        var node = _nodes[id];
        node.PausedUntil = Now + duration > node.PausedUntil ? Now + duration : node.PausedUntil;
        Log($"{id} paused until {node.PausedUntil.TotalMilliseconds} ms");
    }

    /// <summary>An operator's planned switchover: every running member gets the same plan at once.</summary>
    public void PlanHandover(string target, TimeSpan within)
    {
        if (Failover.IsNoFailover(target))
        {
            Log($"handover to {target} refused: NoFailover"); // as the admin API refuses it (SwitchoverTarget)
            return;
        }
        Log($"handover to {target} planned for {within.TotalMilliseconds} ms");
        foreach (var node in _nodes.Values)
        {
            if (node.Elector is { } elector && node.PausedUntil <= Now)
            {
                Step(node, elector.PlanHandover(target, within, node.Local(Now)));
            }
        }
    }
}
