using KevyOrleans.Election;

namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>
/// One member's data node (a redis-server) as the simulation models it. It holds a write history (a
/// sequence of write ids; its replication offset is the history's length), is a master or a replica
/// of some member, and may be fenced by <c>CLIENT PAUSE ms WRITE</c>. It is a separate process from
/// its member: it survives the member's crash, so an orphaned master stays a writable master (its
/// pause lapses once nobody renews it) until its own <c>min-replicas-to-write</c> stops it.
/// </summary>
/// <remarks>
/// The elector's actions are applied as the redis dialect does (DataNodeDialect): Promote =
/// <c>REPLICAOF NO ONE</c>, <c>CLIENT UNPAUSE</c> and, as the orphan mitigation of rule 13,
/// <c>min-replicas-to-write quorum - 1</c>; Follow p = <c>REPLICAOF p</c>, <c>CLIENT UNPAUSE</c> and
/// min-replicas cleared; Fence = <c>CLIENT PAUSE</c> for <see cref="PauseLength"/>, renewed by the live
/// member every tick while its intent stays fenced; Unfence = <c>CLIENT UNPAUSE</c>. A down data node
/// keeps its data (a hung or unreachable process) and ignores actions; the member's reconciliation
/// re-applies its intent once the node answers again.
/// </remarks>
internal sealed class DataNode(string id)
{
    /// <summary>How long one <c>CLIENT PAUSE</c> lasts unless renewed.</summary>
    public static readonly TimeSpan PauseLength = TimeSpan.FromSeconds(2);

    /// <summary>Redis' <c>min-replicas-max-lag</c>: a replica counts as connected this long after its last contact.</summary>
    public static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(1);

    /// <summary>"Never in contact": far enough back for any lag test, without overflowing subtraction.</summary>
    private static readonly TimeSpan Never = TimeSpan.FromDays(-1);

    private readonly List<long> _history = [];

    public string Id { get; } = id;

    public IReadOnlyList<long> History => _history;

    public ulong Offset => (ulong)_history.Count;

    private bool _up = true;

    /// <summary>The process answers (false: crashed, hung or unreachable; its data is kept). Setting it true ends a kill.</summary>
    public bool Up
    {
        get => _up;
        set
        {
            _up = value;
            Killed &= !value;
        }
    }

    /// <summary>The process is gone (kill -9): its port refuses connections, which its member sees as certain death (rule 14).</summary>
    public bool Killed { get; private set; }

    /// <summary>kill -9 of the process: down, and certainly so.</summary>
    public void Kill()
    {
        Up = false;
        Killed = true;
    }

    /// <summary>
    /// The killed process starts again from its data and configuration file (its role, and the
    /// <c>min-replicas-*</c> settings, which a deployment writes there too): a <c>CLIENT PAUSE</c> does not survive it.
    /// </summary>
    public void RestartProcess(TimeSpan now)
    {
        Up = true;
        PausedUntil = now;
    }

    /// <summary>The last data step at which the node did not answer.</summary>
    public TimeSpan LastSilentAt { get; set; } = Never;

    /// <summary>Fences fail on this node (the fault of issue 9 item 6); other actions still work.</summary>
    public bool FenceFails { get; set; }

    /// <summary>The member it replicates from; null for a master.</summary>
    public string? ReplicaOf { get; private set; }

    /// <summary>Writes are paused until this simulated time (<c>CLIENT PAUSE</c>).</summary>
    public TimeSpan PausedUntil { get; private set; }

    /// <summary><c>min-replicas-to-write</c>; 0 = off.</summary>
    public int MinReplicasToWrite { get; private set; }

    /// <summary>The last simulated time this replica was in contact with its master (REPLCONF ACK).</summary>
    public TimeSpan LastContact { get; set; } = Never;

    public bool IsMaster => ReplicaOf is null;

    /// <summary>A promotion opened this master to clients (they learn it from the announcement); a follow closes it.</summary>
    public bool Opened { get; private set; }

    /// <summary>An action failed while the node was down: the member's reconciliation applies its intent again.</summary>
    public bool NeedsReconcile { get; set; }

    public bool IsPaused(TimeSpan now) => PausedUntil > now;

    /// <summary>Applies one of the elector's actions at <paramref name="now"/>; false when the node is down.</summary>
    public bool Apply(DataNodeAction action, int minReplicas, TimeSpan now)
    {
        if (!Up)
        {
            NeedsReconcile = true;
            return false;
        }
        NeedsReconcile = false;
        switch (action.Kind)
        {
            case DataNodeActionKind.Promote:
                ReplicaOf = null;
                Opened = true;
                PausedUntil = now;
                MinReplicasToWrite = minReplicas;
                break;
            case DataNodeActionKind.Follow:
                ReplicaOf = action.PrimaryId;
                Opened = false;
                PausedUntil = now;
                MinReplicasToWrite = 0;
                LastContact = Never;
                break;
            case DataNodeActionKind.Fence when FenceFails:
                return false; // e.g. CLIENT PAUSE ... WRITE on a server older than 6.2, or a timeout
            case DataNodeActionKind.Fence:
                PausedUntil = now + PauseLength;
                break;
            case DataNodeActionKind.Unfence:
                PausedUntil = now;
                break;
        }
        return true;
    }

    /// <summary>A client write taken by this node (a master that accepted it).</summary>
    public int Append(long writeId)
    {
        _history.Add(writeId);
        return _history.Count - 1;
    }

    /// <summary>True when the write <paramref name="writeId"/> sits at <paramref name="index"/> of this history.</summary>
    public bool Holds(int index, long writeId) => index < _history.Count && _history[index] == writeId;

    /// <summary>
    /// Copies from <paramref name="master"/> up to <paramref name="upTo"/> entries of its history. A
    /// replica whose history is not a prefix of the master's is resynced: it takes the master's whole
    /// history (a full sync ships the master's snapshot, so the stream's lag does not apply), losing
    /// the writes the master lacks.
    /// </summary>
    public void CopyFrom(DataNode master, int upTo)
    {
        var theirs = master._history;
        var common = Math.Min(_history.Count, theirs.Count);
        // Write ids are unique and a history only grows or is replaced by a copy of a prefix of
        // another: two histories agree up to an index exactly when their entries there agree.
        var diverged = _history.Count > theirs.Count || (common > 0 && _history[common - 1] != theirs[common - 1]);
        if (diverged)
        {
            _history.Clear();
            common = 0;
        }
        var end = diverged ? theirs.Count : Math.Min(theirs.Count, Math.Max(upTo, common));
        for (var i = _history.Count; i < end; i++)
        {
            _history.Add(theirs[i]);
        }
    }

    /// <summary>Replaces the history (a schedule's starting data).</summary>
    public void Load(IEnumerable<long> history)
    {
        _history.Clear();
        _history.AddRange(history);
    }

    /// <summary>Sets the history to <paramref name="length"/> entries (scenario tests set offsets directly).</summary>
    public void SetLength(ulong length, Func<long> newId)
    {
        if ((ulong)_history.Count > length)
        {
            _history.RemoveRange((int)length, _history.Count - (int)length);
        }
        while ((ulong)_history.Count < length)
        {
            _history.Add(newId());
        }
    }

    /// <summary>The pause is renewed by the live member while it keeps the node fenced.</summary>
    public void RenewPause(TimeSpan now)
    {
        if (Up && PausedUntil > now)
        {
            PausedUntil = now + PauseLength;
        }
    }

    public override string ToString() =>
        $"{(Up ? "" : "down ")}{(IsMaster ? "master" : $"replica of {ReplicaOf}")}{(MinReplicasToWrite > 0 ? $" min-replicas {MinReplicasToWrite}" : "")} offset {Offset}";
}
