using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>
/// Watches every commit, every frame sent and every event of a simulation and throws
/// <see cref="SafetyViolationException"/> the moment a safety property breaks:
/// S1 one winner per epoch; S2 one vote per member per epoch, across restarts;
/// S3 one announced primary per epoch; S4 no epoch ever decreases, across restarts, and none reaches the ceiling 2^63;
/// S5 no frame leaves before the durable record it depends on committed. S6 is <see cref="WriteSafety"/>,
/// S7 is checked by <see cref="DataPlane.OnPromoted"/>.
/// </summary>
internal sealed class SafetyChecker
{
    private readonly Dictionary<ulong, string> _winners = [];
    private readonly Dictionary<ulong, string> _announced = [];
    private readonly Dictionary<(string Member, ulong Epoch), string> _votes = [];
    private readonly Dictionary<string, ulong> _highestEpoch = new(StringComparer.Ordinal);

    public int Elections => _winners.Count;

    public int ConflictingAnnouncesSeen { get; private set; }

    public IReadOnlyDictionary<ulong, string> Winners => _winners;

    /// <summary>S6, when the schedule checks it (null: not checked).</summary>
    public WriteSafety? Writes { get; set; }

    /// <summary>The data nodes that accept client writes at a data step.</summary>
    public void OnWritableMasters(IReadOnlyList<string> writable, TimeSpan now) => Writes?.OnWritableMasters(writable, now);

    /// <summary>A member released a frame; <paramref name="durable"/> is what its storage held at that moment.</summary>
    public void OnSend(string member, in ElectionMessage message, DurableRecord? durable, string? to)
    {
        var stored = durable ?? DurableRecord.Initial;
        switch (message.Verb)
        {
            case Verb.Heartbeat when message.Epoch > stored.Epoch:
                Fail("S5", $"{member} sent {message} while its storage holds epoch {stored.Epoch}");
                break;
            case Verb.Offer:
                // A record at least as new as the frame protects it: with epoch >= e stored, no restart can vote in e again.
                if (stored.Epoch < message.Epoch || stored.Vote is not { } own || own.Epoch < message.Epoch)
                {
                    Fail("S5", $"{member} sent {message} while its storage holds epoch {stored.Epoch}, vote {stored.Vote}");
                }
                RecordVote(member, message.Epoch, member);
                break;
            case Verb.Accept:
                if (stored.Epoch < message.Epoch || stored.Vote is not { } cast || cast.Epoch < message.Epoch)
                {
                    Fail("S5", $"{member} sent {message} to {to} while its storage holds epoch {stored.Epoch}, vote {stored.Vote}");
                }
                RecordVote(member, message.Epoch, to!);
                break;
            case Verb.Announce:
                if (stored.LastAnnouncement is not { } a || a.Epoch < message.Epoch)
                {
                    Fail("S5", $"{member} sent {message} while its storage holds announcement {stored.LastAnnouncement}");
                }
                if (_announced.TryGetValue(message.Epoch, out var earlier) && earlier != member)
                {
                    Fail("S3", $"epoch {message.Epoch} announced for both {earlier} and {member}");
                }
                _announced[message.Epoch] = member;
                break;
        }
    }

    /// <summary>The group's failover policy: E1, a NoFailover member never becomes primary.</summary>
    public FailoverPolicy Failover { get; set; } = FailoverPolicy.Unrestricted;

    public void OnEvent(string member, ElectorEvent e)
    {
        switch (e.Kind)
        {
            case ElectorEventKind.BecamePrimary:
                if (Failover.IsNoFailover(member))
                {
                    Fail("E1", $"NoFailover member {member} won epoch {e.Epoch}");
                }
                if (_winners.TryGetValue(e.Epoch, out var earlier) && earlier != member)
                {
                    Fail("S1", $"both {earlier} and {member} won quorum in epoch {e.Epoch}");
                }
                _winners[e.Epoch] = member;
                break;
            case ElectorEventKind.ConflictingAnnounce:
                ConflictingAnnouncesSeen++;
                break;
        }
    }

    /// <summary>After every step of a member (including a restart): its epoch never decreases.</summary>
    public void OnEpoch(string member, ulong epoch)
    {
        if (!Epochs.IsValid(epoch))
        {
            Fail("S4", $"{member} holds epoch {epoch}, at or above the ceiling 2^63");
        }
        if (_highestEpoch.TryGetValue(member, out var highest) && epoch < highest)
        {
            Fail("S4", $"{member}'s epoch went from {highest} down to {epoch}");
        }
        _highestEpoch[member] = Math.Max(highest, epoch);
    }

    /// <summary>Whom <paramref name="member"/> voted for in <paramref name="epoch"/>, if it did.</summary>
    public string? VoteOf(string member, ulong epoch) => _votes.TryGetValue((member, epoch), out var c) ? c : null;

    private void RecordVote(string member, ulong epoch, string candidate)
    {
        if (_votes.TryGetValue((member, epoch), out var earlier) && earlier != candidate)
        {
            Fail("S2", $"{member} voted for both {earlier} and {candidate} in epoch {epoch}");
        }
        _votes[(member, epoch)] = candidate;
    }

    public static void Fail(string property, string what) => throw new SafetyViolationException($"{property} violated: {what}");
}
