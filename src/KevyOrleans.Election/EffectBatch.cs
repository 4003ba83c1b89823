namespace KevyOrleans.Election;

/// <summary>
/// The outcome of one elector input. When it carries a <see cref="RecordToCommit"/>, its effects
/// are released only by <see cref="Committed"/>, which the caller calls after the record is durable;
/// if the write failed it calls <see cref="CommitFailed"/> instead, after which the elector refuses
/// every input and must be rebuilt from storage. The elector takes no new input while a batch is
/// pending, so no later frame can overtake an uncommitted record.
/// </summary>
public sealed class EffectBatch
{
    private readonly Elector? _owner;
    private readonly Effects _effects;
    private BatchState _state;

    internal EffectBatch(Elector? owner, DurableRecord? record, Effects effects)
    {
        _owner = owner;
        RecordToCommit = record;
        _effects = effects;
        _state = record is null ? BatchState.Free : BatchState.Pending;
    }

    internal static EffectBatch Nothing { get; } = new(null, null, Effects.None);

    private enum BatchState : byte { Free, Pending, Committed, Failed }

    /// <summary>The durable record to write before anything of this batch may leave the node.</summary>
    public DurableRecord? RecordToCommit { get; }

    /// <summary>True while the record awaits <see cref="Committed"/> or <see cref="CommitFailed"/>.</summary>
    public bool IsPending => _state == BatchState.Pending;

    /// <summary>The effects of a batch without a durable record.</summary>
    /// <exception cref="InvalidOperationException">The batch has a record: use <see cref="Committed"/>.</exception>
    public Effects Release() => _state == BatchState.Free
        ? _effects
        : throw new InvalidOperationException(
            "this batch carries a durable record: write it, then call Committed() to obtain its effects (or CommitFailed())");

    /// <summary>Acknowledges that <see cref="RecordToCommit"/> is durable and releases the effects.</summary>
    public Effects Committed()
    {
        if (_state != BatchState.Pending)
        {
            throw new InvalidOperationException($"Committed() needs a pending durable record; this batch is {_state}");
        }
        _state = BatchState.Committed;
        _owner!.OnCommitted(this);
        return _effects;
    }

    /// <summary>The write failed, timed out or conflicted: nothing is released and the elector is retired.</summary>
    public void CommitFailed()
    {
        if (_state != BatchState.Pending)
        {
            throw new InvalidOperationException($"CommitFailed() needs a pending durable record; this batch is {_state}");
        }
        _state = BatchState.Failed;
        _owner!.OnCommitFailed(this);
    }
}
