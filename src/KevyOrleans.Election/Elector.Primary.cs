using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// Knowing, following and being the primary; the write lease; heartbeats.
public sealed partial class Elector
{
    private void AdoptPrimary(string primary, ulong epoch, string how)
    {
        // A fenced data node is about to follow: the Follow itself lifts the fence, after the node
        // has become a replica, so writes the fence held back can never run on it as a primary.
        _fenced = false;
        NotePrimaryAt(epoch, planned: _handover is { } plan && plan.Target == primary);
        EndHandoverOnNewPrimary(primary);
        if (_role != Role.Replica)
        {
            _out.Note(new ElectorEvent(ElectorEventKind.SteppedDown, epoch, primary, $"'{primary}' is primary ({how})"));
        }
        _role = Role.Replica;
        _votesReceived.Clear();
        ReleaseBallotOnPrimary(epoch);
        var changed = _primary != primary;
        if (_lastAnnouncement is not { } known || epoch > known.Epoch)
        {
            // A primary learned from its heartbeat (its ANNOUNCE lost) counts as announced: durable, so
            // that no restart lets this member follow a primary older than it (see OnPrimaryClaim).
            _lastAnnouncement = new Announcement(epoch, primary);
            Persist();
        }
        if (changed || epoch != _primaryEpoch)
        {
            _primaryStampHeard = HeartbeatStamp.None; // echo only what this primary sends
        }
        _primary = primary;
        _primaryEpoch = epoch;
        _primaryKnownSince = _now;
        _lastPrimaryClaim = _now;
        if (changed)
        {
            _out.Note(new ElectorEvent(ElectorEventKind.PrimaryLearned, epoch, primary, how));
            if (!_config.IsWitness)
            {
                _out.Act(DataNodeAction.Follow(primary, _config.Group.Members.Get(primary).ClientAddress));
            }
        }
    }

    /// <summary>
    /// Members this node can see for the lease: itself plus peers whose lease proof (<see cref="LeaseProof"/>:
    /// the echo of a hosted peer, the last frame of an external one) lies within the lease window and whose
    /// latest frame carries an epoch at or below its own (rule 10: a peer that moved on may have voted
    /// for a successor). <paramref name="heardAfter"/>: count only proofs after that instant.
    /// </summary>
    private int VisibleForLease(TimeSpan? heardAfter = null)
    {
        var visible = 1;
        foreach (var peer in _peerList)
        {
            if (LeaseProof(peer) is { } proof && _now - proof < _timings.LeaseWindow && peer.Epoch <= _epoch
                && (heardAfter is not { } after || proof > after))
            {
                visible++;
            }
        }
        return visible;
    }

    /// <summary>
    /// Rule 10: a primary that hears a higher epoch from a member fences at once; the fence lifts only
    /// once a majority is heard at or below its epoch after that frame. When the members it still counts
    /// make no majority, the group moved past its epoch: it steps down (fenced) so that a new election
    /// can run; sticky primaries (rule 2) would otherwise keep the group waiting for it forever.
    /// </summary>
    private void OnHigherEpochAsPrimary(MemberView peer, ulong epoch)
    {
        _higherEpochHeardAt = _now;
        if (!_fenced)
        {
            FenceDataNode($"'{peer.Id}' is at epoch {epoch}, above this primary's");
        }
        if (VisibleForLease() < Quorum)
        {
            _role = Role.Replica;
            _primary = null;
            _lastPrimaryClaim = null;
            _votesReceived.Clear();
            _out.Note(new ElectorEvent(ElectorEventKind.SteppedDown, _epoch, peer.Id,
                $"no majority at epoch {_epoch} or below: '{peer.Id}' is at epoch {epoch}"));
            SendHeartbeat(); // "replica" at once: the peers that still follow it can elect
        }
    }

    /// <summary>
    /// The peers' down_after runs from the last heartbeat they got from this node, not from the last
    /// one it got from them: a primary that cannot heartbeat (its data node stopped answering) holds
    /// the lease only for the lease window after its last heartbeat, however well it hears its peers.
    /// </summary>
    private bool HeartbeatWithinLease => _lastHeartbeatSent is { } sent && _now - sent < _timings.LeaseWindow;

    /// <summary>
    /// Peers count for the lease only if heard after this instant: the last higher epoch heard (rule 10),
    /// or the end of a gap in this node's heartbeats. During a gap the peers' down_after ran from the
    /// heartbeat before it; a peer heard before the heartbeats resumed may never get one again (a
    /// partition that began in the gap), so it proves nothing about when it will stop following.
    /// </summary>
    private TimeSpan? LeaseCountsPeersHeardAfter =>
        _higherEpochHeardAt is { } higher && (_heartbeatsResumedAt is not { } resumed || higher > resumed) ? higher : _heartbeatsResumedAt;

    private void UpdateLease()
    {
        var heartbeating = HeartbeatWithinLease;
        var hasMajority = heartbeating && VisibleForLease(LeaseCountsPeersHeardAfter) >= Quorum;
        if (!hasMajority && !_fenced)
        {
            FenceDataNode(heartbeating
                ? "no majority heard within the lease window"
                : "no heartbeat sent within the lease window: its data node does not answer");
        }
        else if (hasMajority && _fenced && !HandingOver)
        {
            _fenced = false;
            _out.Act(DataNodeAction.Unfence);
            _out.Note(new ElectorEvent(ElectorEventKind.Unfenced, _epoch, Self, "majority visible again"));
        }
    }

    /// <summary>Fences the data node; the fence counts as applied only once the host confirms it (<see cref="ObserveFence"/>).</summary>
    private void FenceDataNode(string why)
    {
        _fenced = true;
        _fenceConfirmedAt = null;
        _out.Act(DataNodeAction.Fence);
        _out.Note(new ElectorEvent(ElectorEventKind.Fenced, _epoch, Self, why));
    }

    private void SendHeartbeatIfDue()
    {
        // Timers may fire a little early; an eighth of the interval of slack keeps one HB per tick.
        var slack = _timings.HeartbeatInterval / 8;
        if (_lastHeartbeatSent is null || _now - _lastHeartbeatSent.Value >= _timings.HeartbeatInterval - slack)
        {
            SendHeartbeat();
        }
    }

    private void SendHeartbeat()
    {
        // A hosted member's heartbeat means "my data node answers".
        if (!DataNodeServing)
        {
            return;
        }
        // The lease keeps the margin of two hb_intervals between its window and down_after; a longer
        // silence used it up (see LeaseCountsPeersHeardAfter).
        if (_lastHeartbeatSent is { } last && _now - last > 2 * _timings.HeartbeatInterval)
        {
            _heartbeatsResumedAt = _now;
        }
        _lastHeartbeatSent = _now;
        _out.Broadcast(ElectionMessage.Heartbeat(_epoch, Self, _role, AdvertisedOffset) with { Stamp = OwnStamp });
        if (_role == Role.Primary && _heartbeatsResumedAt == _now)
        {
            UpdateLease(); // the peers heard so far stopped counting with this heartbeat
        }
    }

    /// <summary>
    /// The next instant at which time alone changes something: a heartbeat falls due, or one of
    /// <see cref="NextTimedEvent"/>'s events. A host calls <see cref="Tick"/> then.
    /// </summary>
    public TimeSpan NextDeadline
    {
        get
        {
            // An overdue heartbeat (a late host timer) is due now.
            if (DataNodeServing && (_lastHeartbeatSent is null || _lastHeartbeatSent.Value + _timings.HeartbeatInterval <= _now))
            {
                return _now;
            }
            var next = NextTimedEvent;
            return _lastHeartbeatSent is { } hb && hb + _timings.HeartbeatInterval > _now && hb + _timings.HeartbeatInterval < next
                ? hb + _timings.HeartbeatInterval
                : next;
        }
    }

    /// <summary>
    /// The next instant at which time alone changes the election, heartbeats aside: a member goes
    /// DOWN, a candidacy times out, a backoff or the cold-start grace ends, the lease runs out, the
    /// data node's last answer expires. A host with a periodic heartbeat tick wakes at this instant,
    /// so nothing on the failover path waits for the next tick. At most one hb_interval ahead.
    /// </summary>
    public TimeSpan NextTimedEvent
    {
        get
        {
            var next = _now + _timings.HeartbeatInterval;
            void Consider(TimeSpan t)
            {
                if (t > _now && t < next)
                {
                    next = t;
                }
            }
            if (_handover is { } plan)
            {
                Consider(plan.Until);
            }
            if (_dataNodeAnsweredAt is { } answered && !_config.IsWitness)
            {
                Consider(answered + _timings.DownAfter);
            }
            switch (_role)
            {
                case Role.Candidate:
                    Consider(_candidacyStartedAt + _timings.ElectionTimeout);
                    break;
                case Role.Primary:
                    if (_lastHeartbeatSent is { } sent)
                    {
                        Consider(sent + _timings.LeaseWindow);
                    }
                    foreach (var peer in _peerList)
                    {
                        if (LeaseProof(peer) is { } t)
                        {
                            Consider(t + _timings.LeaseWindow);
                        }
                    }
                    break;
                case Role.Replica when !_config.IsWitness:
                    Consider(_backoffUntil);
                    Consider(_startedAt + _timings.DownAfter);
                    if (BallotLapsesAt is { } lapses)
                    {
                        Consider(lapses);
                    }
                    Consider(_primaryKnownSince + _timings.DownAfter);
                    foreach (var peer in _peerList)
                    {
                        if (peer.LastHeard is { } t)
                        {
                            Consider(t + _timings.DownAfter);
                        }
                    }
                    break;
            }
            return next;
        }
    }

    /// <summary>A snapshot of this elector as of <paramref name="now"/>.</summary>
    public ElectorStatus GetStatus(TimeSpan now)
    {
        var at = now > _now ? now : _now;
        var members = new List<MemberStatus>(_peerList.Length);
        foreach (var peer in _peerList)
        {
            members.Add(peer.ToStatus(at, _timings.DownAfter));
        }
        var visible = 1 + _peerList.Count(p => p.HeardWithin(at, _timings.DownAfter));
        return new ElectorStatus(Self, _role, _epoch, _vote, _primary, _primaryEpoch, visible >= Quorum, visible, Quorum,
            _fenced, DataNodeServing, AdvertisedOffset, Intent, members);
    }
}
