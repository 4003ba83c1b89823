using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

// Targeted fault families: situations a uniform mix of single faults rarely builds, each the one
// that a specific broken rule needs to show (issue 16). What they hit is decided from the group's
// state when they strike.
internal static partial class RandomSchedule
{
    /// <summary>
    /// Every schedule gets one targeted fault of seven families on top of the random ones, at a random
    /// time of the fault phase. It draws from its own random source (from the seed), so the schedule's other
    /// faults are those the seed always had.
    /// </summary>
    private static void ScheduleTargeted(Simulation sim, int seed, string[] ids, TimeSpan faultPhase)
    {
        var rng = new Random(unchecked((seed * 7919) + 17));
        var family = rng.Next(7);
        // KEVY_SIM_FAMILY=0..6 forces one family (a..g) for every schedule: to study a family alone.
        if (int.TryParse(Environment.GetEnvironmentVariable("KEVY_SIM_FAMILY"), out var forced))
        {
            family = forced;
        }
        var at = TimeSpan.FromMilliseconds(rng.Next(0, (int)faultPhase.TotalMilliseconds));
        switch (family)
        {
            case 0:
                BehindCandidateIsolated(sim, rng, at);
                break;
            case 1:
                PrimaryGoesMute(sim, rng, ids, at);
                break;
            case 2:
                AheadReplicasReactivated(sim, rng, at);
                break;
            case 3:
                HandoverWithFailingFence(sim, rng, ids, at);
                break;
            case 4:
                PrimaryDataNodeSilentThenCutOff(sim, rng, faultPhase);
                break;
            case 5:
                AheadReplicasRestartUnheardByBehind(sim, rng, at);
                break;
            default:
                PrimaryUnheardThenCutOff(sim, rng, ids, faultPhase);
                break;
        }
    }

    /// <summary>
    /// The current primary, its data-bearing replicas (at least two) and the most-behind of them (among
    /// equals the lowest id, which wins ties against the others); null when there is no such situation.
    /// </summary>
    private static (string Primary, List<SimNode> Replicas, SimNode Behind)? PrimaryAndBehindReplica(Simulation sim)
    {
        var primary = sim.Nodes.FirstOrDefault(n => n.Elector?.Role == Role.Primary)?.Id;
        if (primary is null)
        {
            return null;
        }
        var replicas = sim.Nodes.Where(n => n.Id != primary && !sim.Group.IsWitness(n.Id)).ToList();
        if (replicas.Count < 2)
        {
            return null;
        }
        return (primary, replicas, replicas.OrderBy(n => n.Data.Offset).ThenBy(n => n.Id, StringComparer.Ordinal).First());
    }

    /// <summary>
    /// Rule 11's situation: the primary dies with its data node, and every replica holding more than the
    /// most-behind one crashes too, to be reactivated by the next OFFER (a grain call) before its first
    /// probe; their data nodes live on and hold the acknowledged writes. The behind replica hears
    /// nobody ahead, runs, and its OFFER is each of them's first input. A vote cast before the probe
    /// defends no offset, and the behind replica wins without those writes (S7).
    /// </summary>
    private static void AheadReplicasReactivated(Simulation sim, Random rng, TimeSpan at)
    {
        var lasts = sim.Timings.DownAfter + TimeSpan.FromMilliseconds(rng.Next(2_000, 10_000));
        string? primary = null;
        var reactivated = new List<string>();
        sim.At(at, () =>
        {
            if (PrimaryAndBehindReplica(sim) is not { } found)
            {
                return;
            }
            (primary, var replicas, var behind) = found;
            foreach (var ahead in replicas.Where(n => n.Data.Offset > behind.Data.Offset))
            {
                sim.CrashForReactivation(ahead.Id);
                reactivated.Add(ahead.Id);
            }
            sim.Crash(primary);
            sim[primary].DataNodeUp = false;
        });
        sim.At(at + lasts, () =>
        {
            if (primary is null)
            {
                return;
            }
            sim[primary].DataNodeUp = true;
            sim.Restart(primary);
            reactivated.ForEach(sim.Restart);
        });
    }

    /// <summary>
    /// Issue 9 item 6's situation: a planned switchover while writes flow, and the primary's data node
    /// cannot be fenced for a while. The primary must not hand over on an unconfirmed fence: its data
    /// node would keep taking writes that the target, elected on an older offset, lacks (S7), next to
    /// the target's (S6).
    /// </summary>
    private static void HandoverWithFailingFence(Simulation sim, Random rng, string[] ids, TimeSpan at)
    {
        var lasts = TimeSpan.FromMilliseconds(rng.Next(1_000, 8_000));
        var within = TimeSpan.FromMilliseconds(rng.Next(1_000, 8_000));
        var pick = rng.Next(ids.Length);
        string? primary = null;
        sim.At(at, () =>
        {
            primary = sim.Nodes.FirstOrDefault(n => n.Elector?.Role == Role.Primary)?.Id;
            if (primary is null)
            {
                return;
            }
            var targets = ids.Where(id => id != primary && !sim.Group.IsWitness(id)).ToArray();
            sim[primary].Data.FenceFails = true;
            sim.PlanHandover(targets[pick % targets.Length], within);
        });
        sim.At(at + lasts, () =>
        {
            if (primary is not null)
            {
                sim[primary].Data.FenceFails = false;
            }
        });
    }

    /// <summary>
    /// The offset defence's situation. The primary dies with its data node (so nobody catches up), at
    /// the moment every replica holding more than the most-behind replica C stops reaching C (one-way:
    /// C hears none of them, they all hear C). C believes it is the best candidate and runs; the
    /// others still hear its OFFER. Only their offset defence stops C from winning without
    /// acknowledged writes that a majority held (S7). Healed after down_after and some seconds.
    /// </summary>
    private static void BehindCandidateIsolated(Simulation sim, Random rng, TimeSpan at)
    {
        var lasts = sim.Timings.DownAfter + TimeSpan.FromMilliseconds(rng.Next(2_000, 10_000));
        string? primary = null;
        sim.At(at, () =>
        {
            if (PrimaryAndBehindReplica(sim) is not { } found)
            {
                return;
            }
            (primary, var replicas, var behind) = found;
            foreach (var ahead in replicas.Where(n => n.Data.Offset > behind.Data.Offset))
            {
                sim.BlockLink(ahead.Id, behind.Id);
            }
            sim.Crash(primary);
            sim[primary].DataNodeUp = false;
        });
        sim.At(at + lasts, () =>
        {
            if (primary is null)
            {
                return;
            }
            sim.HealNetwork();
            sim[primary].DataNodeUp = true;
            sim.Restart(primary);
        });
    }

    /// <summary>
    /// Issue 9 item 2: the primary's outgoing frames are lost (to every member; and, half of the time,
    /// one replica's frames to it too) for longer than down_after. The others elect a successor; their
    /// heartbeats at the new epoch still reach the old primary. Its lease must not count them and the
    /// newer epoch must fence it at once (rule 10), or two members intend an unfenced primary (S6).
    /// </summary>
    private static void PrimaryGoesMute(Simulation sim, Random rng, string[] ids, TimeSpan at)
    {
        var lasts = sim.Timings.DownAfter + TimeSpan.FromMilliseconds(rng.Next(1_000, 6_000));
        var deafTo = ids[rng.Next(ids.Length)];
        var alsoDeaf = rng.NextDouble() < 0.5;
        sim.At(at, () =>
        {
            if (sim.Nodes.FirstOrDefault(n => n.Elector?.Role == Role.Primary)?.Id is not { } primary)
            {
                return;
            }
            foreach (var other in ids.Where(id => id != primary))
            {
                sim.BlockLink(primary, other);
            }
            if (alsoDeaf && deafTo != primary)
            {
                sim.BlockLink(deafTo, primary);
            }
        });
        sim.At(at + lasts, sim.HealNetwork);
    }

    /// <summary>
    /// The lease's own-heartbeat condition: the primary's data node stops answering, so its member stops
    /// heartbeating while it still hears every peer; just before the peers' down_after runs out (they
    /// elect a successor then), the primary is cut off both ways, so it never hears the newer epoch.
    /// Counting the peers it hears, it would keep an unfenced intent for most of a lease window next to
    /// the successor (S6); it must fence within the lease window of its last heartbeat.
    /// </summary>
    private static void PrimaryDataNodeSilentThenCutOff(Simulation sim, Random rng, TimeSpan faultPhase)
    {
        // The cut lands within the fault phase (the healed phase must stay healed).
        var at = TimeSpan.FromMilliseconds(rng.Next(0, (int)(faultPhase - sim.Timings.DownAfter).TotalMilliseconds));
        var cutBefore = TimeSpan.FromMilliseconds(rng.Next(0, 2 * (int)sim.Timings.HeartbeatInterval.TotalMilliseconds));
        var lasts = sim.Timings.DownAfter + TimeSpan.FromMilliseconds(rng.Next(2_000, 8_000));
        string? primary = null;
        sim.At(at, () =>
        {
            primary = sim.Nodes.FirstOrDefault(n => n.Elector?.Role == Role.Primary)?.Id;
            if (primary is not null)
            {
                sim[primary].DataNodeUp = false;
            }
        });
        sim.At(at + sim.Timings.DownAfter - cutBefore, () =>
        {
            if (primary is not null)
            {
                sim.Partition([primary]);
            }
        });
        sim.At(at + lasts, () =>
        {
            if (primary is not null)
            {
                sim.HealNetwork();
                sim[primary].DataNodeUp = true;
            }
        });
    }

    /// <summary>
    /// The offset defence's situation for any group size: the primary dies with its data node while the
    /// heartbeats of every replica ahead of the most-behind one C stop reaching C (their other frames,
    /// votes included, still arrive) and its member restarts shortly after (its data node, holding the
    /// acknowledged writes, lives on). A restarted member knows no
    /// primary, so nothing sticky holds its vote, and its cold-start grace keeps it from running before
    /// C does; C hears nobody ahead and runs first. Only the restarted members' offset defence keeps C
    /// from winning without those writes (S7). (Family (a) needs a voter that does not run itself first,
    /// which three members do not give.)
    /// </summary>
    private static void AheadReplicasRestartUnheardByBehind(Simulation sim, Random rng, TimeSpan at)
    {
        var restartAfter = TimeSpan.FromMilliseconds(rng.Next(100, 2_000));
        var lasts = sim.Timings.DownAfter + TimeSpan.FromMilliseconds(rng.Next(2_000, 8_000));
        string? primary = null;
        var ahead = new List<string>();
        sim.At(at, () =>
        {
            if (PrimaryAndBehindReplica(sim) is not { } found)
            {
                return;
            }
            (primary, var replicas, var behind) = found;
            foreach (var node in replicas.Where(n => n.Data.Offset > behind.Data.Offset))
            {
                sim.LoseHeartbeats(node.Id, behind.Id);
                sim.Crash(node.Id);
                ahead.Add(node.Id);
            }
            sim.Crash(primary);
            sim[primary].DataNodeUp = false;
        });
        sim.At(at + restartAfter, () => ahead.ForEach(sim.Restart));
        sim.At(at + lasts, () =>
        {
            if (primary is null)
            {
                return;
            }
            sim.HealNetwork();
            sim[primary].DataNodeUp = true;
            sim.Restart(primary);
        });
    }
}
