namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>
/// The data side of a simulated group: client writes, replication and acknowledgements, every
/// <see cref="Step"/> (50 ms). Clients write to every data node that a promotion opened and that
/// accepts writes now (stale clients included: the adversarial case); a write is acknowledged once a
/// majority of the group's data members hold it (WAIT with a majority; a write not acknowledged within
/// <see cref="WaitTimeout"/> failed for its client). Replicas copy from the node they follow while both
/// are up and reachable, with a random lag of a few writes.
/// </summary>
internal sealed class DataPlane(Simulation sim)
{
    public static readonly TimeSpan StepInterval = TimeSpan.FromMilliseconds(50);

    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(1);

    private readonly List<(long Id, int Index, string Origin, TimeSpan At)> _pending = [];
    private readonly List<(long Id, int Index)> _acknowledged = [];
    private long _nextWriteId = 1;

    /// <summary>Acknowledged writes so far.</summary>
    public int Acknowledged => _acknowledged.Count;

    /// <summary>Acknowledged writes that S7 does not protect: their master's member was paused (see <see cref="CountAcknowledgements"/>).</summary>
    public int ExcusedAcknowledged { get; private set; }

    /// <summary>Writes taken by some data node so far.</summary>
    public long Written { get; private set; }

    public long NewWriteId() => _nextWriteId++;

    private int DataMembers => sim.Nodes.Count(n => !sim.Group.IsWitness(n.Id));

    private int Majority => (DataMembers / 2) + 1;

    /// <summary>One data step: replicate, take client writes, count acknowledgements, check S6 on the data nodes.</summary>
    public void Step(bool takeWrites)
    {
        var now = sim.Now;
        foreach (var node in DataNodes())
        {
            if (node.Up && node.ReplicaOf is { } p && sim[p].Data is { Up: true } master && sim.Reachable(node.Id, p))
            {
                node.LastContact = now;
                node.CopyFrom(master, master.History.Count - sim.Random.Next(0, 3));
            }
        }
        var writable = DataNodes().Where(d => AcceptsWrites(d, now)).ToList();
        if (takeWrites)
        {
            foreach (var d in writable)
            {
                if (sim.Random.NextDouble() < 0.6)
                {
                    var id = NewWriteId();
                    _pending.Add((id, d.Append(id), d.Id, now));
                    Written++;
                }
            }
        }
        CountAcknowledgements(now);
        sim.Safety.OnWritableMasters(writable.Select(d => d.Id).ToList(), now);
    }

    /// <summary>
    /// A client write succeeds here now: the node is up, a master opened by a promotion, not paused,
    /// and has <c>min-replicas-to-write</c> connected replicas (following it, both up and reachable,
    /// in contact within <see cref="DataNode.MaxLag"/>).
    /// </summary>
    public bool AcceptsWrites(DataNode d, TimeSpan now)
    {
        if (!d.Up || !d.IsMaster || !d.Opened || d.IsPaused(now))
        {
            return false;
        }
        if (d.MinReplicasToWrite == 0)
        {
            return true;
        }
        var connected = DataNodes().Count(r => r.ReplicaOf == d.Id && r.Up && now - r.LastContact <= DataNode.MaxLag && sim.Reachable(d.Id, r.Id));
        return connected >= d.MinReplicasToWrite;
    }

    /// <summary>S7: a data node just promoted holds every acknowledged write.</summary>
    public void OnPromoted(DataNode d)
    {
        foreach (var (id, index) in _acknowledged)
        {
            if (!d.Holds(index, id))
            {
                SafetyChecker.Fail("S7", $"{d.Id} was promoted without acknowledged write {id} (offset {index + 1}); it holds offset {d.Offset}");
            }
        }
    }

    private void CountAcknowledgements(TimeSpan now)
    {
        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            var (id, index, origin, at) = _pending[i];
            var holders = DataNodes().Count(d => d.Holds(index, id));
            if (holders >= Majority)
            {
                // A write taken while its master's member was paused (within down_after) is outside the
                // lease's assumption (unbounded delay): the master wrote on while others elected. Not held to S7.
                var paused = sim[origin].PausedUntil;
                if (paused > at - sim.Timings.DownAfter)
                {
                    ExcusedAcknowledged++;
                }
                else
                {
                    _acknowledged.Add((id, index));
                }
                _pending.RemoveAt(i);
            }
            else if (now - at > WaitTimeout)
            {
                _pending.RemoveAt(i);
            }
        }
    }

    private IEnumerable<DataNode> DataNodes() => sim.Nodes.Where(n => !sim.Group.IsWitness(n.Id)).Select(n => n.Data);
}
