using KevyOrleans.Abstractions;
using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains;

// What the elector's events become outside it: spans, hook events, metrics, election records and logs.
public sealed partial class HostedMember
{
    private void Report(ElectorEvent e)
    {
        _spans.Observe(e);
        Events?.Publish(KevyEvent.From(e, _group.Name, Member, _time.GetUtcNow())); // queued: a webhook never delays the member
        switch (e.Kind)
        {
            case ElectorEventKind.BecamePrimary:
                _metrics.ElectionWon(_group.Name);
                _outbox.ReportElection(new ElectionRecord(e.Epoch, Member, _time.GetUtcNow()));
                Log.ElectionEvent(_logger, _group.Name, Member, e.ToString());
                break;
            case ElectorEventKind.ConflictingAnnounce or ElectorEventKind.ConflictingPrimary:
                _metrics.Conflict(_group.Name, e.Kind.ToString());
                Log.ProtocolViolation(_logger, _group.Name, Member, e.ToString());
                break;
            case ElectorEventKind.FrameRejected:
                _metrics.FrameDropped(e.Verb ?? Verb.Heartbeat, "epoch");
                Log.ProtocolViolation(_logger, _group.Name, Member, e.ToString());
                break;
            case ElectorEventKind.HandoverAbandoned when _reportingFailedFence:
                _handoverAbandoned = new HandoverAbandonment(e.Member ?? "", _time.GetUtcNow(), e.Detail ?? "the fence failed");
                Log.ElectionEvent(_logger, _group.Name, Member, e.ToString());
                break;
            case ElectorEventKind.FailoverDeclined:
                EligibilityLog.FailoverDeclined(_logger, _group.Name, Member, e.Detail ?? "");
                break;
            case ElectorEventKind.FailoverHeld:
                _metrics.FailoverHeld(_group.Name);
                EligibilityLog.FailoverHeld(_logger, _group.Name, Member, e.Detail ?? "");
                break;
            case ElectorEventKind.DataNodeCertainlyDead or ElectorEventKind.PeerCertainlyDead or ElectorEventKind.DeathNoticeIgnored:
                ReportCertainDeath(e);
                break;
            case ElectorEventKind.FrameFromStranger:
                _metrics.FrameDropped(e.Verb ?? Verb.Heartbeat, "stranger");
                Log.ProtocolViolation(_logger, _group.Name, Member, e.ToString());
                break;
            default:
                Log.ElectionEvent(_logger, _group.Name, Member, e.ToString());
                break;
        }
    }
}
