using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

// Hostile and absurd input (issue 9): frames with epochs at or above the ceiling, old frames replayed,
// announcements duplicated; and reactivation, where a crashed member's first input is an OFFER.
internal sealed partial class Simulation
{
    /// <summary>Epochs no honest member sends: the ceiling 2^63, just above it, and 2^64-1.</summary>
    public static readonly ulong[] AbsurdEpochs = [Epochs.Ceiling, Epochs.Ceiling + 1, ulong.MaxValue];

    private readonly List<(string To, ElectionMessage Message)> _remembered = [];

    /// <summary>A sample of frames sent so far (every member's, to whom), for replays.</summary>
    private void Remember(string to, in ElectionMessage message)
    {
        if (_remembered.Count < 256 && (message.Verb == Verb.Announce || Random.NextDouble() < 0.02))
        {
            _remembered.Add((to, message));
        }
    }

    /// <summary>Delivers <paramref name="count"/> frames sent earlier again, to their receivers: a replay.</summary>
    public void ReplayOldFrames(int count)
    {
        for (var i = 0; i < count && _remembered.Count > 0; i++)
        {
            var (to, message) = _remembered[Random.Next(_remembered.Count)];
            Log($"replaying {message} to {to}");
            Enqueue(Now + Delay(), new SimEvent(SimEventKind.Deliver, to, message, message.SenderId, 0, null));
        }
    }

    /// <summary>Every announcement sent so far reaches every other member once more.</summary>
    public void DuplicateAnnounces()
    {
        foreach (var announce in _remembered.Where(r => r.Message.Verb == Verb.Announce).Select(r => r.Message).Distinct().ToList())
        {
            foreach (var m in Group.Members.Where(m => m.Id != announce.SenderId))
            {
                Enqueue(Now + Delay(), new SimEvent(SimEventKind.Deliver, m.Id, announce, announce.SenderId, 0, null));
            }
        }
        Log("announcements duplicated");
    }

    /// <summary>
    /// Frames claiming to come from <paramref name="sender"/> with an absurd epoch, of every verb, to
    /// every other member. An honest elector drops them (rule 9); the checker then sees no epoch at or
    /// above the ceiling and none decreasing.
    /// </summary>
    public void InjectAbsurdEpochs(string sender)
    {
        var epoch = AbsurdEpochs[Random.Next(AbsurdEpochs.Length)];
        var address = Group.Members.Get(sender).ClientAddress;
        ElectionMessage[] frames =
        [
            ElectionMessage.Heartbeat(epoch, sender, Role.Primary, 0),
            ElectionMessage.Heartbeat(epoch, sender, Role.Replica, ulong.MaxValue),
            ElectionMessage.Offer(epoch, sender, ulong.MaxValue),
            ElectionMessage.Accept(epoch, sender),
            ElectionMessage.Announce(epoch, sender, address),
        ];
        var frame = frames[Random.Next(frames.Length)];
        Log($"injecting {frame} as {sender}");
        foreach (var m in Group.Members.Where(m => m.Id != sender))
        {
            Enqueue(Now + Delay(), new SimEvent(SimEventKind.Deliver, m.Id, frame, sender, 0, null));
        }
    }

    /// <summary>Crashes <paramref name="id"/>; the next OFFER for it reactivates it, its first probe one hb_interval later.</summary>
    public void CrashForReactivation(string id)
    {
        Crash(id);
        _nodes[id].ReactivateOnOffer = true;
    }

    private void Reactivate(SimNode node)
    {
        node.ReactivateOnOffer = false;
        node.ClockOffset = RandomClockOffset();
        node.Restarts++;
        StartElector(node, Timings.HeartbeatInterval);
        Log($"{node.Id} reactivated by an OFFER from {node.Store.Committed}");
    }
}
