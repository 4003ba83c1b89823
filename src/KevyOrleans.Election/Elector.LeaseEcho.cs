using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

// The lease's proof that a hosted peer still hears this primary: the peer echoes the stamp of the
// newest heartbeat it accepted from its primary (ElectionMessage.Stamp). A peer's down_after runs from
// the last heartbeat it got; the arrival of its own frames says nothing about that, so after a one-way
// loss of the primary's frames a lease counted from arrivals outlives the peers' patience (the soak's
// two-step cut). External kevy members echo nothing: their frames count from arrival, as in kevy.
public sealed partial class Elector
{
    /// <summary>
    /// This activation's nonce in its stamps: an echo proves something only to the activation that sent
    /// it (another activation's send times are in another clock). Derived from the start instant and the
    /// id, not drawn from the jitter source, so that a seed's jitter stays what it was.
    /// </summary>
    private readonly ulong _activation;

    /// <summary>The stamp of the newest heartbeat accepted from the primary this member follows.</summary>
    private HeartbeatStamp _primaryStampHeard;

    private static ulong ActivationNonce(string self, TimeSpan startedAt)
    {
        // SplitMix64 over the start instant mixed with a stable hash of the id (FNV-1a): never 0.
        var hash = 14695981039346656037UL;
        foreach (var c in self)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        var z = hash ^ (ulong)startedAt.Ticks;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return z == 0 ? 1 : z;
    }

    /// <summary>What this member's heartbeat carries: its own stamp as primary, else the echo of its primary's.</summary>
    private HeartbeatStamp OwnStamp => _role == Role.Primary ? new HeartbeatStamp(_activation, _now.Ticks) : _primaryStampHeard;

    /// <summary>A heartbeat's stamp: the echo a peer proves with, or (from the followed primary) the one to echo.</summary>
    private void OnStamp(MemberView peer, in ElectionMessage hb)
    {
        if (hb.Stamp is not { } stamp)
        {
            return; // an external kevy member: its frames count from arrival
        }
        peer.Echoes = true;
        if (stamp.Activation == _activation && stamp.SentTicks <= _now.Ticks)
        {
            Proven(peer, TimeSpan.FromTicks(stamp.SentTicks));
        }
        if (hb.Role == Role.Primary && peer.Id == _primary && hb.Epoch == _primaryEpoch && !IsCertainlyDead(peer))
        {
            // Not while a notice of its death is in force: this member may elect a successor at once, so an
            // echo would lend a lease a patience it no longer has. A restarted primary that resumes its epoch
            // (Elector.Resume.cs) sends the same epoch and role a notice cannot tell from a stale frame
            // (soak seed 7:7059732: peers holding the notice echoed the resumed primary into an open lease,
            // then elected a successor on the notice, without the writes that lease acknowledged).
            _primaryStampHeard = stamp;
        }
    }

    /// <summary>The peer proved it received a frame this activation sent at <paramref name="sentAt"/>.</summary>
    private static void Proven(MemberView peer, TimeSpan sentAt)
    {
        if (peer.ProvenReachedAt is not { } known || sentAt > known)
        {
            peer.ProvenReachedAt = sentAt;
        }
    }

    /// <summary>
    /// From when the peer's patience with this primary runs, as far as this node can tell: the send time of
    /// the newest of its frames the peer proved it got, for a peer that echoes; the arrival of its last
    /// frame otherwise.
    /// </summary>
    private static TimeSpan? LeaseProof(MemberView peer) => peer.Echoes ? peer.ProvenReachedAt : peer.LastHeard;
}
