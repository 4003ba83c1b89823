using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// Rule 14, definitive death: a data node whose process is certainly gone (a connection refused or reset
// by a host that answers) is DOWN at once for the hosted peers its member tells; a timeout never is.
public sealed partial class Elector
{
    private bool _deathAnnounced; // this member announced its data node's death; cleared when the node answers again
    private long _answers; // probes its data node answered in this activation: orders a probe after a notice
    private (string Candidate, ulong Epoch, ulong Offset, TimeSpan At)? _refusedOffer;

    /// <summary>
    /// The host saw this member's data node certainly dead: a connection refused, or reset, by a host that
    /// answers (never a timeout). The member stops heartbeating and running as after a failed probe and, with
    /// <see cref="ElectorConfig.FastFailover"/> on, renounces its role first (a primary keeps its data node
    /// fenced until it follows a successor or wins again; a candidate gives up), then releases one
    /// <see cref="Effects.DeathNotice"/> for its hosted peers. Once per death: repeated observations add
    /// nothing until the data node has answered again.
    /// </summary>
    public EffectBatch ObserveDataNodeDead(TimeSpan now)
    {
        Begin(now);
        _lastProbeFailed = true;
        _fenceConfirmedAt = null; // a restarted process comes back without its pause
        if (_config.FastFailover && !_config.IsWitness && !_deathAnnounced)
        {
            _deathAnnounced = true;
            var was = _role;
            RenounceForDeath();
            _out.Note(new ElectorEvent(ElectorEventKind.DataNodeCertainlyDead, _epoch, Self, $"was {was.ToWire()}; telling the hosted peers"));
            _out.NotifyDeath(new CertainDeathNotice(Self, _epoch, was));
        }
        EvaluateTimers();
        return Finish();
    }

    /// <summary>
    /// A hosted peer's notice that its data node is certainly dead. Taken only when fast failover is on and
    /// the notice is not older than the latest heartbeat heard from that peer (a heartbeat of a higher epoch
    /// means its data node served after the notice was sent, or the notice comes from an activation that is no
    /// longer current). Once taken, the peer is DOWN for this member until a heartbeat shows its data node back
    /// (see <see cref="OnFrameFromPeer"/>), or for at most down_after, after which only the usual timeout counts: a notice can shorten the wait for
    /// a dead member, never lengthen anything. The sticky-primary rule does not hold for a dead primary, so
    /// an OFFER refused shortly before is reconsidered now.
    /// </summary>
    public EffectBatch ObservePeerDeath(CertainDeathNotice notice, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(notice);
        Begin(now);
        var why = !_config.FastFailover ? "fast failover is off"
            : !_peers.TryGetValue(notice.Member, out var peer) ? "not from another member"
            : !Epochs.IsValid(notice.Epoch) ? "epoch at or above the ceiling 2^63"
            : notice.Epoch < peer.HeartbeatEpoch ? $"stale: it heartbeat at epoch {peer.HeartbeatEpoch}, above the notice's {notice.Epoch}"
            : null;
        if (why is not null)
        {
            _out.Note(new ElectorEvent(ElectorEventKind.DeathNoticeIgnored, _epoch, notice.Member, why));
            return Finish();
        }
        peer = _peers[notice.Member];
        peer.CertainlyDeadAt = _now;
        peer.CertainlyDeadEpoch = notice.Epoch;
        peer.CertainlyDeadRole = notice.Role;
        peer.AnswersAtNotice = _answers;
        if (peer.Id == _primary)
        {
            _primaryStampHeard = HeartbeatStamp.None; // no more echoes for a primary this member may replace at once (OnStamp)
        }
        _out.Note(new ElectorEvent(ElectorEventKind.PeerCertainlyDead, _epoch, peer.Id,
            peer.Id == _primary ? $"the primary's data node is gone (epoch {notice.Epoch})" : $"its data node is gone (epoch {notice.Epoch})"));
        ReconsiderRefusedOffer();
        EvaluateTimers();
        return Finish();
    }

    /// <summary>
    /// This member's data node is certainly dead and answered within down_after: the member does not vote.
    /// Its last probe is up to one hb_interval old, so it may miss writes the node took and a replica
    /// acknowledged; a vote on it (seed 3:5036679: the dead primary's) can elect a member without them while
    /// the fast path lets survivors run on peers' offsets one heartbeat old. The survivors' own probes after
    /// the death are final and they defend them; after down_after of silence it votes without defending,
    /// as any silent data node does, so a group that needs its vote is never held longer than today.
    /// </summary>
    private bool AbstainsForDeath => _deathAnnounced && DataNodeHealthy;

    /// <summary>
    /// A notice of certain death is in force and this data member's offset was not probed since: it votes for
    /// nobody yet. Its probe may predate writes the dead primary replicated here and got acknowledged, and
    /// the fast path lets a survivor run at once on its own fresh probe. <see cref="PrimaryCertainlyDead"/>
    /// holds that for the primary a member knows; this holds it for a member that knows none (restarted, or
    /// its storage failing so that it cannot record the primary it follows: soak seed 3:6034191).
    /// </summary>
    private bool AwaitsProbeAfterNotice =>
        !_config.IsWitness && _peerList.Any(peer => IsCertainlyDead(peer) && _answers <= peer.AnswersAtNotice);

    /// <summary>Some peer's notice of certain death is in force.</summary>
    private bool NoticeInForce => _peerList.Any(IsCertainlyDead);

    /// <summary>A notice of certain death is in force for <paramref name="peer"/>: taken within down_after, not outlived by a later frame.</summary>
    private bool IsCertainlyDead(MemberView peer) =>
        peer.CertainlyDeadAt is { } at && _now - at < _timings.DownAfter;

    /// <summary>
    /// The known primary is certainly dead, by a notice of its epoch or later, and this member's own offset was
    /// probed after the notice (a witness has none). A probe from before it may miss writes the primary had
    /// replicated here and got acknowledged since: a vote or a candidacy on it could elect a member without
    /// them. After the primary's death nothing more replicates, so the first probe after the notice is final.
    /// </summary>
    private bool PrimaryCertainlyDead =>
        _primary is { } p && _peers.TryGetValue(p, out var view) && IsCertainlyDead(view) && view.CertainlyDeadEpoch >= _primaryEpoch
        && (_config.IsWitness || _answers > view.AnswersAtNotice);

    /// <summary>
    /// A member heartbeats and runs only while its data node serves (an ANNOUNCE follows a run), so only such a
    /// frame sent after the death ends a notice: one of a later epoch, or a heartbeat at the notice's epoch with
    /// another role (a dead primary comes back as a replica). Its votes prove nothing: a member whose data node
    /// is dead still votes. (Found by the simulation, 3:1925: a member that voted for the dead primary's new
    /// candidacy and then ran against it at once, on the old notice, won without an acknowledged write.)
    /// </summary>
    private static void OnFrameFromPeer(MemberView peer, in ElectionMessage message)
    {
        if (message.Verb == Verb.Accept)
        {
            return;
        }
        if (message.Epoch > peer.HeartbeatEpoch)
        {
            peer.HeartbeatEpoch = message.Epoch;
        }
        if (peer.CertainlyDeadAt is not null && (message.Epoch > peer.CertainlyDeadEpoch
            || (message.Epoch == peer.CertainlyDeadEpoch && message.Role != peer.CertainlyDeadRole)))
        {
            peer.CertainlyDeadAt = null;
        }
    }

    /// <summary>
    /// The data node answered: a later death is a new one and is announced again; and an offset probed after a
    /// notice of the primary's death lets an OFFER refused meanwhile be reconsidered.
    /// </summary>
    private void OnDataNodeAnswered()
    {
        _deathAnnounced = false;
        _answers++;
        ReconsiderRefusedOffer();
    }

    /// <summary>
    /// Before its notice leaves, the member gives up whatever its dead data node held: a primary steps down
    /// with the node fenced (a restarted node takes no writes until it follows the successor), a candidate
    /// stops running. The notice is then true whenever it arrives: this member claims nothing any more.
    /// </summary>
    private void RenounceForDeath()
    {
        if (_role == Role.Replica)
        {
            return;
        }
        if (_role == Role.Primary)
        {
            _primary = null;
            _lastPrimaryClaim = null;
            _fenced = true;
            _fenceConfirmedAt = null;
        }
        _role = Role.Replica;
        _votesReceived.Clear();
        _out.Note(new ElectorEvent(ElectorEventKind.SteppedDown, _epoch, Self, "its data node is certainly dead"));
    }

    /// <summary>Called for every OFFER this member refused: the latest one may deserve a vote once its primary is known dead (and the offset probed since).</summary>
    private void RememberRefusedOffer(MemberView peer, in ElectionMessage offer) =>
        _refusedOffer = (peer.Id, offer.Epoch, offer.ReplOffset, _now);

    /// <summary>
    /// The OFFER refused last, as if it arrived now: only while its candidacy can still be running and nothing
    /// newer was heard from its candidate. Every voting rule applies again (one vote per epoch, offsets, rule 11).
    /// </summary>
    private void ReconsiderRefusedOffer()
    {
        if (_refusedOffer is not { } r || !(PrimaryCertainlyDead || (_primary is null && NoticeInForce && !AwaitsProbeAfterNotice)))
        {
            return;
        }
        _refusedOffer = null;
        if (_now - r.At >= _timings.ElectionTimeout || !_peers.TryGetValue(r.Candidate, out var candidate)
            || candidate.Epoch != r.Epoch || candidate.Role != Role.Candidate)
        {
            return;
        }
        OnOffer(candidate, ElectionMessage.Offer(r.Epoch, r.Candidate, r.Offset));
    }
}
