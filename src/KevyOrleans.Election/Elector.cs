using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>
/// The kevy-elect state machine for one member: inputs in (tick, a received frame, a data-node
/// observation), one <see cref="EffectBatch"/> out. Pure and deterministic: no I/O, no clock of its
/// own (every input carries <c>now</c>, a monotonic time), randomness only from the injected
/// <see cref="Random"/> (backoff jitter).
/// </summary>
/// <remarks>
/// Durable state (epoch, vote, last announcement) changes in memory first and is returned as the
/// batch's record; the batch releases nothing until the caller says the record is durable. A failed
/// commit retires this instance: the caller rebuilds it from what storage holds.
/// </remarks>
public sealed partial class Elector
{
    private readonly ElectorConfig _config;
    private readonly ElectionTimings _timings;
    private readonly Random _random;
    private readonly Dictionary<string, MemberView> _peers = new(StringComparer.Ordinal);
    private readonly MemberView[] _peerList;
    private readonly EffectCollector _out = new();
    private readonly HashSet<string> _votesReceived = new(StringComparer.Ordinal);
    private readonly TimeSpan _startedAt;

    // Durable.
    private ulong _epoch;
    private Vote? _vote;
    private Announcement? _lastAnnouncement;

    // Volatile.
    private Role _role = Role.Replica;
    private string? _primary;
    private ulong _primaryEpoch;
    private TimeSpan _primaryKnownSince;
    private TimeSpan? _lastPrimaryClaim;
    private ulong _highestEpochSeen;
    private TimeSpan _candidacyStartedAt;
    private TimeSpan _backoffUntil;
    private TimeSpan? _lastHeartbeatSent;
    private TimeSpan? _heartbeatsResumedAt;
    private bool _fenced;
    private TimeSpan? _fenceConfirmedAt;
    private TimeSpan? _higherEpochHeardAt;
    private ulong _ownOffset;
    private TimeSpan? _dataNodeAnsweredAt;
    private bool _lastProbeFailed;
    private TimeSpan _now;
    private EffectBatch? _pending;
    private bool _retired;

    /// <param name="config">Who this member is and the group it belongs to.</param>
    /// <param name="saved">What storage holds for this member; null when it holds nothing.</param>
    /// <param name="now">The monotonic time of the start (opens the cold-start grace window).</param>
    /// <param name="random">Jitter source; seed it in tests.</param>
    public Elector(ElectorConfig config, DurableRecord? saved, TimeSpan now, Random random)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(random);
        _config = config;
        _timings = config.Timings;
        _random = random;
        _startedAt = now;
        _now = now;
        _activation = ActivationNonce(config.Self, now);
        saved ??= DurableRecord.Initial;
        EnsureValidRecord(config.Self, saved);
        _epoch = Math.Max(1, saved.Epoch);
        _vote = saved.Vote;
        _lastAnnouncement = saved.LastAnnouncement;
        _lastPrimaryEpochKnown = saved.LastAnnouncement?.Epoch; // a newer primary after a restart ends a failover
        _highestEpochSeen = _epoch;
        ResumeStoredPrimacy();
        RestoreBallot();
        foreach (var m in config.Group.Members)
        {
            if (m.Id != config.Self)
            {
                _peers.Add(m.Id, new MemberView(m.Id, config.Group.IsWitness(m.Id)));
            }
        }
        _peerList = [.. _peers.Values];
    }

    /// <summary>This member's node id.</summary>
    public string Self => _config.Self;

    /// <summary>The static configuration this elector runs with.</summary>
    public ElectorConfig Config => _config;

    /// <summary>The role this member currently claims: replica, candidate or primary.</summary>
    public Role Role => _role;

    /// <summary>This member's current epoch.</summary>
    public ulong Epoch => _epoch;

    /// <summary>The node id of the primary this member currently follows or is, or null when none is known.</summary>
    public string? KnownPrimary => _primary;

    /// <summary>The durable state as it stands in memory (ahead of storage while a batch is pending).</summary>
    public DurableRecord Record => new(_epoch, _vote, _lastAnnouncement);

    /// <summary>False once a commit failed: the instance must be replaced by one built from storage.</summary>
    public bool IsUsable => !_retired;

    /// <summary>Periodic input (every hb_interval) and the wake-up at <see cref="NextDeadline"/>.</summary>
    public EffectBatch Tick(TimeSpan now)
    {
        Begin(now);
        EvaluateTimers();
        SendHeartbeatIfDue();
        return Finish();
    }

    /// <summary>A frame that arrived for this member. The sender is the id inside the frame.</summary>
    public EffectBatch Receive(in ElectionMessage message, TimeSpan now)
    {
        Begin(now);
        var sender = message.SenderId;
        if (!Epochs.IsValid(message.Epoch))
        {
            // Rule 9: dropped before anything else; not even heard, so no epoch of it is ever stored.
            _out.Note(new ElectorEvent(ElectorEventKind.FrameRejected, _epoch, sender,
                $"epoch {message.Epoch} is at or above the ceiling 2^63", message.Verb));
            return Finish();
        }
        if (sender == Self || !_peers.TryGetValue(sender, out var peer))
        {
            _out.Note(new ElectorEvent(ElectorEventKind.FrameFromStranger, _epoch, sender,
                sender == Self ? "sender is this node" : "sender is not a member", message.Verb));
            return Finish();
        }
        peer.LastHeard = _now;
        peer.Epoch = message.Epoch; // the latest frame's epoch, whatever its verb: the lease reads it (rule 10)
        OnFrameFromPeer(peer, message); // rule 14: a heartbeat after a notice of certain death may end it
        if (message.Epoch > _highestEpochSeen && message.Verb != Verb.Accept)
        {
            _highestEpochSeen = message.Epoch;
        }
        switch (message.Verb)
        {
            case Verb.Heartbeat: OnHeartbeat(peer, message); break;
            case Verb.Offer: OnOffer(peer, message); break;
            case Verb.Accept: OnAccept(peer, message); break;
            case Verb.Announce: OnAnnounce(peer, message); break;
        }
        if (_role == Role.Primary && message.Epoch > _epoch)
        {
            OnHigherEpochAsPrimary(peer, message.Epoch);
        }
        // Anything heard may end a fence or make this node the best candidate: act now, not at the next tick.
        EvaluateTimers();
        return Finish();
    }

    /// <summary>
    /// The result of probing this member's data node: whether it answered, and its replication offset.
    /// A member whose last probe failed neither heartbeats nor runs until a probe succeeds again; one
    /// whose data node has not answered within down_after also stops defending its offset in votes.
    /// </summary>
    public EffectBatch ObserveDataNode(bool answered, ulong offset, TimeSpan now)
    {
        Begin(now);
        _lastProbeFailed = !answered;
        if (!answered)
        {
            // A node that cannot be reached cannot have its fence renewed: it may come back unpaused.
            _fenceConfirmedAt = null;
        }
        else
        {
            _dataNodeAnsweredAt = _now;
            _ownOffset = offset;
            OnDataNodeAnswered();
        }
        EvaluateTimers();
        return Finish();
    }

    /// <summary>Rule 9: a stored epoch at or above 2^63 was never valid input, so the storage is corrupt.</summary>
    private static void EnsureValidRecord(string self, DurableRecord saved)
    {
        if (!Epochs.IsValid(saved.Epoch) || saved.Vote is { } v && !Epochs.IsValid(v.Epoch)
            || saved.LastAnnouncement is { } a && !Epochs.IsValid(a.Epoch))
        {
            throw new InvalidDataException(
                $"the stored election record of member '{self}' ({saved}) holds an epoch at or above 2^63, which no valid input can produce: " +
                "its storage is corrupt; the member refuses to run until an operator repairs or removes the record");
        }
    }

    /// <summary>
    /// Rule 11: a data member votes only on an offset it knows: its data node answered once in this
    /// activation, or has stayed silent for a whole down_after since the start (then it has nothing to defend).
    /// </summary>
    private bool MayVote => _config.IsWitness || _dataNodeAnsweredAt is not null || _now - _startedAt >= _timings.DownAfter;

    /// <summary>The data node answered within down_after: its offset is worth defending in a vote.</summary>
    private bool DataNodeHealthy =>
        _config.IsWitness || (_dataNodeAnsweredAt is { } t && _now - t < _timings.DownAfter);

    /// <summary>
    /// The data node serves now: healthy, and its last probe answered. Heartbeats and candidacies need
    /// this. Stopping at the first failed probe, rather than after down_after of silence, lets the
    /// peers see a dead data node's member DOWN after about one down_after instead of two.
    /// </summary>
    private bool DataNodeServing => DataNodeHealthy && !_lastProbeFailed;

    private ulong AdvertisedOffset => _config.IsWitness ? 0 : _ownOffset;

    private int Quorum => _config.Group.Quorum;

    private void Begin(TimeSpan now)
    {
        if (_retired)
        {
            throw new InvalidOperationException($"elector '{Self}' is retired after a failed commit; rebuild it from storage");
        }
        if (_pending is not null)
        {
            throw new InvalidOperationException(
                $"elector '{Self}' has an uncommitted durable record; call Committed() or CommitFailed() on its batch first");
        }
        // A monotonic clock never goes back; tolerate a caller that slips rather than corrupt timers.
        if (now > _now)
        {
            if (now - _now > 2 * _timings.HeartbeatInterval)
            {
                // Nothing reached this member for two ticks (its process was paused): nobody renewed the
                // fence meanwhile, so the data node may be unpaused now (soak seed 3:6071628).
                _fenceConfirmedAt = null;
            }
            _now = now;
        }
    }

    private EffectBatch Finish()
    {
        if (_out.IsEmpty)
        {
            return EffectBatch.Nothing;
        }
        var record = _out.DurableChanged ? Record : null;
        _out.DurableChanged = false;
        var batch = new EffectBatch(this, record, _out.TakeEffects());
        if (record is not null)
        {
            _pending = batch;
        }
        return batch;
    }

    internal void OnCommitted(EffectBatch batch)
    {
        if (ReferenceEquals(_pending, batch))
        {
            _pending = null;
        }
    }

    internal void OnCommitFailed(EffectBatch batch)
    {
        if (ReferenceEquals(_pending, batch))
        {
            _pending = null;
        }
        _retired = true;
    }

    /// <summary>Marks the durable state changed: the current input's batch will carry the record.</summary>
    private void Persist() => _out.DurableChanged = true;
}
