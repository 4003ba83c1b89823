using KevyOrleans.Abstractions;
using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains;

/// <summary>Hosted peers get one-way grain calls; external peers go to the wire transport.</summary>
internal sealed class GrainMemberOutbox(IGrainFactory grains, GroupDefinition group, string self, IExternalMemberTransport external, KevyMetrics metrics)
    : IMemberOutbox
{
    public void Deliver(string to, in ElectionMessage message)
    {
        if (group.IsHosted(to))
        {
            // [OneWay]: completes at once; nobody awaits a peer.
            grains.GetGrain<IMemberGrain>(MemberKey.Format(group.Name, to)).Deliver(message).Ignore();
            metrics.FrameSent(message.Verb, "grain");
        }
        else
        {
            external.Send(group, self, to, message);
        }
    }

    public void NotifyDeath(CertainDeathNotice notice)
    {
        foreach (var peer in group.Hosted)
        {
            if (peer != self)
            {
                // [OneWay], like a frame: the dead member waits for nobody.
                grains.GetGrain<IMemberGrain>(MemberKey.Format(group.Name, peer)).PeerDataNodeDead(notice.Member, notice.Epoch, notice.Role == Role.Primary).Ignore();
            }
        }
    }

    public void ReportElection(ElectionRecord record) =>
        grains.GetGrain<IGroupGrain>(group.Name).RecordElection(record).Ignore();
}
