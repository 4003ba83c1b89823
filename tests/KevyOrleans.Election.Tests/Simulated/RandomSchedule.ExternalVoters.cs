using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

internal static partial class RandomSchedule
{
    /// <summary>One schedule in eight, drawn from its own random source so that no other schedule changes.</summary>
    private static bool ExternalVotersDrawn(int seed) =>
        new Random(unchecked((seed * 15485863) + 7)).Next(8) == 0 || ForcedFamily(7);

    /// <summary>
    /// Family (h), rule 10 with external voters (issue 9 item 2), a schedule of its own: every member speaks as
    /// an external kevy member from the start (no stamps: its frames count from their arrival, rule 8), so
    /// only rule 10 stops a lease from counting a member that voted for a successor. No other faults: one-way
    /// losses break rule 8's premise, a known limit with external voters (src/README.md, the lease). The
    /// situation: the best-ranked replica C and the primary P lose each other both ways; quorum - 1 other
    /// members V stop hearing P (one way: P still hears them). After down_after C runs and wins with V's
    /// votes; V's next frames, of the newer epoch, still reach P. A lease that counts them keeps P writable
    /// beside C (S6); rule 10 fences it when the first of them arrives.
    /// </summary>
    private static void ScheduleExternalVoters(Simulation sim, int seed, string[] ids, TimeSpan faultPhase)
    {
        var rng = new Random(unchecked((seed * 15485863) + 11));
        foreach (var id in ids)
        {
            sim.SpeakWithoutStamps(id);
        }
        // After the first election (the cold-start grace is one down_after), and early enough to play out.
        var earliest = (int)(sim.Timings.DownAfter + sim.Timings.ElectionTimeout).TotalMilliseconds;
        var latest = (int)(faultPhase - sim.Timings.DownAfter).TotalMilliseconds;
        var at = TimeSpan.FromMilliseconds(rng.Next(earliest, Math.Max(earliest + 1, latest)));
        var lasts = sim.Timings.DownAfter + TimeSpan.FromMilliseconds(rng.Next(2_000, 6_000));
        sim.At(at, () =>
        {
            var primary = sim.Nodes.FirstOrDefault(n => n.Elector?.Role == Role.Primary)?.Id;
            if (primary is null)
            {
                return;
            }
            var replicas = sim.Nodes.Where(n => n.Id != primary && !sim.Group.IsWitness(n.Id) && !sim.Failover.IsNoFailover(n.Id))
                .OrderByDescending(n => n.Data.Offset).ThenByDescending(n => sim.Failover.Priority(n.Id)).ThenBy(n => n.Id, StringComparer.Ordinal)
                .ToList();
            if (replicas.Count == 0)
            {
                return;
            }
            var successor = replicas[0].Id;
            var voters = sim.Nodes.Where(n => n.Id != primary && n.Id != successor).Select(n => n.Id)
                .OrderBy(_ => rng.Next()).Take(sim.Group.Quorum - 1).ToList();
            foreach (var voter in voters)
            {
                sim.BlockLink(primary, voter);
            }
            // C loses P two hb_intervals later, so that the voters' patience with P has run out when C runs.
            sim.At(sim.Now + (2 * sim.Timings.HeartbeatInterval), () =>
            {
                sim.BlockLink(primary, successor);
                sim.BlockLink(successor, primary);
            });
        });
        sim.At(at + lasts, sim.HealNetwork);
    }

    private static bool ForcedFamily(int family) =>
        int.TryParse(Environment.GetEnvironmentVariable("KEVY_SIM_FAMILY"), out var forced) && forced == family;
}
