using KevyOrleans.Election;

namespace KevyOrleans.Election.Tests.Simulated;

// Rule 14 in the simulation: notices of certain death between hosted members (grain calls, so partitions
// cut them like frames), data nodes killed and restarted, and the signal's misuse: a notice sent for a
// node that is only hung, a notice that arrives late, and old notices replayed (a stale activation).
internal sealed partial class Simulation
{
    private readonly List<(string From, CertainDeathNotice Notice)> _noticesSent = [];

    /// <summary>Notices taken by some member (PeerCertainlyDead), for assertions and figures.</summary>
    public int NoticesTaken => _nodes.Values.Sum(n => n.Events.Count(e => e.Kind == ElectorEventKind.PeerCertainlyDead));

    /// <summary>Probability that a notice is held back 0..3 s more than a frame would be (a late notice).</summary>
    public double LateNoticeRate { get; set; }

    /// <summary>kill -9 of a member's data node: its member sees the refusal at once (a reset on its persistent connection).</summary>
    public void KillDataNode(string id)
    {
        var node = _nodes[id];
        node.Data.Kill();
        Data.OnKilled(id);
        Log($"{id} data node killed");
        if (node.Elector is { } elector && node.PausedUntil <= Now)
        {
            Step(node, elector.ObserveDataNodeDead(node.Local(Now)));
        }
    }

    /// <summary>The killed data node's process starts again (from its data and configuration file).</summary>
    public void RestartDataNode(string id)
    {
        _nodes[id].Data.RestartProcess(Now);
        Log($"{id} data node restarted");
    }

    /// <summary>
    /// Misuse: the data node only hangs (it keeps its data, role and settings, and resumes later), yet its
    /// member takes it for certainly dead and tells its peers, as a misjudged reset would make it do.
    /// </summary>
    public void MisjudgeDeath(string id)
    {
        var node = _nodes[id];
        node.Data.Up = false;
        Data.OnMisjudged(id);
        Log($"{id} data node hangs, misjudged as certainly dead");
        if (node.Elector is { } elector && node.PausedUntil <= Now)
        {
            Step(node, elector.ObserveDataNodeDead(node.Local(Now)));
        }
    }

    /// <summary>Misuse: notices sent earlier arrive again, much later (an activation that is no longer current, a retried call).</summary>
    public void ReplayOldNotices(int count)
    {
        if (_noticesSent.Count == 0)
        {
            return;
        }
        for (var i = 0; i < count; i++)
        {
            var (from, notice) = _noticesSent[Random.Next(_noticesSent.Count)];
            var to = Group.Members[Random.Next(Group.Members.Count)].Id;
            if (to != from)
            {
                Log($"{to} <- replayed {notice}");
                DeliverDeathNotice(to, notice);
            }
        }
    }

    private void SendDeathNotice(SimNode from, CertainDeathNotice notice)
    {
        _noticesSent.Add((from.Id, notice));
        foreach (var m in Group.Members)
        {
            if (m.Id == from.Id || _blocked.Contains((from.Id, m.Id)))
            {
                continue;
            }
            var late = LateNoticeRate > 0 && Random.NextDouble() < LateNoticeRate ? TimeSpan.FromMilliseconds(Random.Next(0, 3_000)) : TimeSpan.Zero;
            var to = m.Id;
            At(Now + Delay() + late, () => DeliverDeathNotice(to, notice));
        }
    }

    private void DeliverDeathNotice(string to, CertainDeathNotice notice)
    {
        var node = _nodes[to];
        if (node.PausedUntil > Now)
        {
            At(node.PausedUntil, () => DeliverDeathNotice(to, notice));
            return;
        }
        if (node.Elector is { } elector)
        {
            Log($"{to} <- {notice}");
            Step(node, elector.ObservePeerDeath(notice, node.Local(Now)));
            // The host probes its own data node at once (HostedMember): the vote needs an offset read after the notice.
            // Half the time that probe is late (a slow node, a busy silo) and the next tick's probe is the first.
            if (node.Elector is { } probing && !Group.IsWitness(to) && Random.NextDouble() < 0.5)
            {
                Step(node, node.Data.Killed
                    ? probing.ObserveDataNodeDead(node.Local(Now))
                    : probing.ObserveDataNode(node.Data.Up, node.Data.Offset, node.Local(Now)));
            }
        }
    }
}
