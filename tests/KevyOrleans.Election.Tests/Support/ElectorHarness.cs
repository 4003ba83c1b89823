using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Support;

/// <summary>
/// Drives one elector by hand: explicit time, frames typed in, every durable record "written" to
/// <see cref="Stored"/> before the batch is released (as the grain does).
/// </summary>
internal sealed class ElectorHarness
{
    public ElectorHarness(string self, string members, string[]? witnesses = null, DurableRecord? stored = null, ulong offset = 0, FailoverPolicy? failover = null, bool fastFailover = true)
    {
        Group = new ElectionGroup(MemberList.Parse(members), witnesses);
        Config = new ElectorConfig(self, Group, ElectionTimings.Default) { Failover = failover ?? FailoverPolicy.Unrestricted, FastFailover = fastFailover };
        Stored = stored;
        Offset = offset;
        Elector = new Elector(Config, stored, Now, new Random(7));
        Observe();
    }

    public ElectionGroup Group { get; }

    public ElectorConfig Config { get; }

    public Elector Elector { get; private set; }

    public DurableRecord? Stored { get; private set; }

    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(100);

    public ulong Offset { get; set; }

    public int Writes { get; private set; }

    public ElectionTimings Timings => Config.Timings;

    public Effects Receive(ElectionMessage message) => Apply(Elector.Receive(message, Now));

    public Effects Tick() => Apply(Elector.Tick(Now));

    public Effects Observe(bool answered = true) => Apply(Elector.ObserveDataNode(answered, Offset, Now));

    public Effects DataNodeDead() => Apply(Elector.ObserveDataNodeDead(Now));

    public Effects PeerDied(string member, ulong epoch, Role role) => Apply(Elector.ObservePeerDeath(new CertainDeathNotice(member, epoch, role), Now));

    public Effects ObserveFence(bool confirmed = true) => Apply(Elector.ObserveFence(confirmed, Now));

    public Effects PlanHandover(string target, TimeSpan within) => Apply(Elector.PlanHandover(target, within, Now));

    /// <summary>Moves time on, probing the data node and ticking every hb_interval like the grain's timer.</summary>
    public List<Effects> Advance(TimeSpan by)
    {
        var all = new List<Effects>();
        var end = Now + by;
        while (Now < end)
        {
            var step = Timings.HeartbeatInterval < end - Now ? Timings.HeartbeatInterval : end - Now;
            Now += step;
            all.Add(Observe());
            all.Add(Tick());
        }
        return all;
    }

    /// <summary>Moves time without probing or ticking.</summary>
    public void Wait(TimeSpan by) => Now += by;

    /// <summary>A new process over the same storage: what a restart or reactivation does.</summary>
    public Effects Restart()
    {
        Now += TimeSpan.FromSeconds(1);
        Elector = new Elector(Config, Stored, Now, new Random(8));
        return Observe();
    }

    private Effects Apply(EffectBatch batch)
    {
        if (batch.RecordToCommit is { } record)
        {
            Stored = record;
            Writes++;
            return batch.Committed();
        }
        return batch.Release();
    }
}

internal static class EffectsExtensions
{
    public static IEnumerable<ElectionMessage> Sent(this Effects effects, Verb verb) =>
        effects.Messages.Where(m => m.Message.Verb == verb).Select(m => m.Message);

    public static IEnumerable<Outbound> All(this IEnumerable<Effects> effects, Verb verb) =>
        effects.SelectMany(e => e.Messages).Where(m => m.Message.Verb == verb);

    public static bool Has(this Effects effects, ElectorEventKind kind) => effects.Events.Any(e => e.Kind == kind);
}
