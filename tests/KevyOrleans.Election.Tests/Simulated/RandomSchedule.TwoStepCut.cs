using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

internal static partial class RandomSchedule
{
    /// <summary>
    /// Family (g), the soak's two-step cut (3:1012033, 5:1069027, 7:1014695): the primary's outgoing
    /// frames are lost (one way) while it still hears its peers; one to three hb_intervals before their
    /// down_after runs out (they elect then) the cut becomes complete, so it never hears the newer epoch.
    /// A lease counted from the arrival of the peers' frames outlives their patience (S6); counted from
    /// the heartbeats they echo, it ends before they may vote.
    /// </summary>
    private static void PrimaryUnheardThenCutOff(Simulation sim, Random rng, string[] ids, TimeSpan faultPhase)
    {
        var hb = (int)sim.Timings.HeartbeatInterval.TotalMilliseconds;
        var at = TimeSpan.FromMilliseconds(rng.Next(0, (int)(faultPhase - sim.Timings.DownAfter).TotalMilliseconds));
        var cutBefore = TimeSpan.FromMilliseconds(rng.Next(hb, 3 * hb));
        var lasts = sim.Timings.DownAfter + TimeSpan.FromMilliseconds(rng.Next(1_000, 6_000));
        string? primary = null;
        sim.At(at, () =>
        {
            primary = sim.Nodes.FirstOrDefault(n => n.Elector?.Role == Role.Primary)?.Id;
            foreach (var other in ids.Where(id => primary is not null && id != primary))
            {
                sim.BlockLink(primary!, other);
            }
        });
        sim.At(at + sim.Timings.DownAfter - cutBefore, () =>
        {
            if (primary is not null)
            {
                sim.Partition([primary]);
            }
        });
        sim.At(at + lasts, sim.HealNetwork);
    }
}
