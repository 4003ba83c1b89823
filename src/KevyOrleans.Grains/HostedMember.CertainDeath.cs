using KevyOrleans.Election;
using KevyOrleans.Grains.DataNodes;

namespace KevyOrleans.Grains;

// Rule 14, definitive death: this member's own data node certainly gone, and a hosted peer's notice of its.
public sealed partial class HostedMember
{
    private bool _peerDeathTaken; // set while releasing a PeerCertainlyDead event: the notice was taken

    /// <summary>
    /// The death watch (or a probe) saw this member's data node refuse a connection: the elector renounces the
    /// member's role and releases the notice that <see cref="IMemberOutbox.NotifyDeath"/> takes to the hosted peers.
    /// </summary>
    public async Task DataNodeDeadAsync()
    {
        if (!IsRetired && _dataNode is not null)
        {
            await ApplyAsync(_elector.ObserveDataNodeDead(Now)).ConfigureAwait(true);
        }
    }

    /// <summary>
    /// A hosted peer's notice of certain death. When it is taken, this member's own data node is probed at once:
    /// the elector votes or runs on the fast path only with an offset read after the notice.
    /// </summary>
    /// <param name="notice">The peer's notice, as its grain call carried it.</param>
    public async Task PeerDataNodeDeadAsync(CertainDeathNotice notice)
    {
        _peerDeathTaken = false;
        if (IsRetired || !await ApplyAsync(_elector.ObservePeerDeath(notice, Now)).ConfigureAwait(true))
        {
            return;
        }
        if (_dataNode is not null && _peerDeathTaken)
        {
            var probe = await ProbeAsync().ConfigureAwait(true);
            await ApplyAsync(ObserveProbe(probe)).ConfigureAwait(true);
        }
    }

    /// <summary>A refused probe is certain death; any other failed probe only silence.</summary>
    private EffectBatch ObserveProbe(in DataNodeProbe probe) => probe.CertainlyDead
        ? _elector.ObserveDataNodeDead(Now)
        : _elector.ObserveDataNode(probe.Answered, probe.Offset, Now);

    private void ReportCertainDeath(ElectorEvent e)
    {
        switch (e.Kind)
        {
            case ElectorEventKind.DataNodeCertainlyDead:
                CertainDeathLog.OwnDataNodeDead(_logger, _group.Name, Member, e.ToString());
                break;
            case ElectorEventKind.PeerCertainlyDead:
                _peerDeathTaken = true;
                CertainDeathLog.PeerDead(_logger, _group.Name, Member, e.ToString());
                break;
            default:
                CertainDeathLog.NoticeIgnored(_logger, _group.Name, Member, e.ToString());
                break;
        }
    }
}
