using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

// Rule 14's faults, drawn from their own random source so that every schedule's other faults stay those
// its seed always had: data nodes killed (certain death) and restarted, deaths misjudged on a node that
// only hangs, late notices, and old notices replayed.
internal static partial class RandomSchedule
{
    private static void ScheduleCertainDeath(Simulation sim, int seed, string[] ids, TimeSpan faultPhase)
    {
        var rng = new Random(unchecked((seed * 104729) + 31));
        sim.LateNoticeRate = rng.NextDouble() < 0.5 ? 0.3 : 0;
        var count = rng.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            var at = TimeSpan.FromMilliseconds(rng.Next(0, (int)faultPhase.TotalMilliseconds));
            var lasts = TimeSpan.FromMilliseconds(rng.Next(200, 8_000));
            var aimAtPrimary = rng.NextDouble() < 0.7;
            var fallback = ids[rng.Next(ids.Length)];
            string Victim() => (aimAtPrimary ? sim.Nodes.FirstOrDefault(n => n.Elector?.Role == Role.Primary)?.Id : null) ?? fallback;
            string? victim = null;
            switch (rng.Next(4))
            {
                case 0:
                case 1:
                    sim.At(at, () =>
                    {
                        victim = Victim();
                        if (!sim.Group.IsWitness(victim))
                        {
                            sim.KillDataNode(victim);
                        }
                    });
                    sim.At(at + lasts, () => sim.RestartDataNode(victim!));
                    break;
                case 2:
                    sim.At(at, () =>
                    {
                        victim = Victim();
                        if (!sim.Group.IsWitness(victim))
                        {
                            sim.MisjudgeDeath(victim);
                        }
                    });
                    sim.At(at + lasts, () => sim[victim!].DataNodeUp = true);
                    break;
                default:
                    var burst = rng.Next(1, 6);
                    sim.At(at, () => sim.ReplayOldNotices(burst));
                    break;
            }
        }
    }
}
