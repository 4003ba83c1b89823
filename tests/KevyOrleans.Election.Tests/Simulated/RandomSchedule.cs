using KevyOrleans.Election;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>
/// One randomized run, fully determined by (size, seed): a group of <c>size</c> members (sometimes
/// with a witness) under a lossy, reordering network with writes flowing, a fault phase of random
/// crashes, partitions (symmetric and one-way), pauses, failing storage and dead data nodes, then a
/// healed phase after which exactly one primary must exist and be known by every member.
/// </summary>
internal static partial class RandomSchedule
{
    public static ElectionTimings Timings { get; } = ElectionTimings.Default;

    /// <summary>How long a healthy, connected group may take to settle: the liveness bound of the issue.</summary>
    public static TimeSpan LivenessBound =>
        Timings.DownAfter + Timings.ElectionTimeout + Timings.MaxBackoff + TimeSpan.FromSeconds(1);

    public static ScheduleOutcome Run(int size, int seed, bool trace = false, TimeSpan holdFailovers = default)
    {
        var rng = new Random(seed);
        var group = MakeGroup(size, withWitness: size >= 3 && rng.NextDouble() < 0.25);
        // Half of the schedules lose no frame: there the lease's assumption holds and S6 is checked.
        var timely = rng.NextDouble() < 0.5;
        var sim = new Simulation(group, Timings, rng.Next(), timely ? NetworkConditions.Timely : NetworkConditions.Lossy, trace, DrawPolicy(group, seed),
            minimumTimeBetweenFailovers: holdFailovers);
        if (timely)
        {
            sim.Safety.Writes = new WriteSafety(sim);
        }
        var ids = group.Members.Select(m => m.Id).ToArray();
        // The group starts in sync (a fresh group, or one whose last primary's writes all arrived):
        // offsets differ later by replication lag, partitions, dead data nodes and orphaned writers.
        var common = Enumerable.Range(0, rng.Next(0, 3) * 10).Select(_ => sim.Data.NewWriteId()).ToArray();
        foreach (var node in sim.Nodes.Where(n => !group.IsWitness(n.Id)))
        {
            node.Data.Load(common);
        }
        try
        {
            var faultPhase = TimeSpan.FromMilliseconds(rng.Next(8_000, 30_000));
            sim.StartDataPlane(faultPhase + LivenessBound + holdFailovers, faultPhase + LivenessBound + holdFailovers);
            if (ExternalVotersDrawn(seed))
            {
                ScheduleExternalVoters(sim, seed, ids, faultPhase); // family (h): a schedule of its own
            }
            else
            {
                var faults = rng.Next(2, 9);
                for (var i = 0; i < faults; i++)
                {
                    ScheduleFault(sim, rng, ids, TimeSpan.FromMilliseconds(rng.Next(0, (int)faultPhase.TotalMilliseconds)));
                }
                ScheduleTargeted(sim, seed, ids, faultPhase);
                ScheduleCertainDeath(sim, seed, ids, faultPhase);
            }
            sim.RunUntil(faultPhase);
            Heal(sim);
            // A process pause may outlast the fault phase: the group is healed once every process runs.
            var lastPauseEnds = sim.Nodes.Max(n => n.PausedUntil);
            if (lastPauseEnds > sim.Now)
            {
                sim.RunUntil(lastPauseEnds);
            }
            // A failover held by MinimumTimeBetweenFailovers may wait that long after the last one (anti-flapping).
            sim.RunFor(LivenessBound + holdFailovers);
            var declined = NoPrimaryByDesign(sim);
            var problem = declined is null ? LivenessProblem(sim) : null;
            return new ScheduleOutcome(size, seed, problem, sim.Safety.Elections, sim.FramesSent, problem is null ? null : Describe(sim), Handovers(sim), sim.Data.Acknowledged)
            {
                Restricted = Restricted(sim),
                NoPrimaryByDesign = declined is not null,
                Held = sim.Nodes.Sum(n => n.Events.Count(e => e.Kind == ElectorEventKind.FailoverHeld)),
            };
        }
        catch (SafetyViolationException e)
        {
            return new ScheduleOutcome(size, seed, e.Message, sim.Safety.Elections, sim.FramesSent, Describe(sim), Handovers(sim), sim.Data.Acknowledged);
        }
    }

    /// <summary>Planned switchovers that completed: the target noted its own win under a plan.</summary>
    private static int Handovers(Simulation sim) =>
        sim.Nodes.Sum(n => n.Events.Count(e => e.Kind == ElectorEventKind.HandoverCompleted && e.Member == n.Id));

    public static ElectionGroup MakeGroup(int size, bool withWitness)
    {
        var members = Enumerable.Range(1, size).Select(i =>
            withWitness && i == size
                ? new Member($"w{i}", "127.0.0.1", 7000 + i, 7000 + i, false)
                : new Member($"n{i}", "127.0.0.1", 7000 + i, 6000 + i, true));
        var list = new MemberList(members);
        return new ElectionGroup(list, withWitness ? [$"w{size}"] : []);
    }

    /// <summary>Exactly one primary, known by every member; null when that holds.</summary>
    public static string? LivenessProblem(Simulation sim)
    {
        var primaries = sim.Nodes.Where(n => n.Elector?.Role == Role.Primary).Select(n => n.Id).ToList();
        if (primaries.Count != 1)
        {
            return $"liveness: {primaries.Count} primaries ({string.Join(',', primaries)}) {LivenessBound.TotalSeconds} s after healing";
        }
        var unaware = sim.Nodes.Where(n => n.Elector?.KnownPrimary != primaries[0]).Select(n => n.ToString()).ToList();
        return unaware.Count == 0 ? null : $"liveness: primary is {primaries[0]} but not known by {string.Join("; ", unaware)}";
    }

    private static void ScheduleFault(Simulation sim, Random rng, string[] ids, TimeSpan at)
    {
        // Half of the faults hit whoever is primary when they strike: those are the ones that force failovers.
        var aimAtPrimary = rng.NextDouble() < 0.5;
        var fallback = ids[rng.Next(ids.Length)];
        string Victim() => aimAtPrimary
            ? sim.Nodes.FirstOrDefault(n => n.Elector?.Role == Role.Primary)?.Id ?? fallback
            : fallback;
        var duration = TimeSpan.FromMilliseconds(rng.Next(500, 10_000));
        switch (rng.Next(11))
        {
            case 7:
                // Hostile and absurd input: epochs at or above 2^63 claimed by a member, replays, duplicated ANNOUNCEs.
                var claimed = ids[rng.Next(ids.Length)];
                var burst = rng.Next(1, 4);
                sim.At(at, () =>
                {
                    for (var i = 0; i < burst; i++)
                    {
                        sim.InjectAbsurdEpochs(claimed);
                    }
                    sim.ReplayOldFrames(5 * burst);
                    sim.DuplicateAnnounces();
                });
                break;
            case 8:
                // Reactivation: the member's first input after the crash is an OFFER, before any probe.
                string? reactivated = null;
                sim.At(at, () => sim.CrashForReactivation(reactivated = Victim()));
                sim.At(at + duration + sim.Timings.DownAfter, () => sim.Restart(reactivated!));
                break;
            case 9:
                // An orphaned primary: its member is gone for longer than down_after, its data node lives on.
                string? orphaned = null;
                var gone = sim.Timings.DownAfter + TimeSpan.FromMilliseconds(rng.Next(500, 6_000));
                sim.At(at, () => sim.Crash(orphaned = sim.Nodes.FirstOrDefault(n => n.Elector?.Role == Role.Primary)?.Id ?? fallback));
                sim.At(at + gone, () => sim.Restart(orphaned!));
                break;
            case 10:
                // Fences fail on a data node (CLIENT PAUSE ... WRITE unsupported, or timing out); other commands work.
                string? unfenceable = null;
                sim.At(at, () => sim[unfenceable = Victim()].Data.FenceFails = true);
                sim.At(at + duration, () => sim[unfenceable!].Data.FenceFails = false);
                break;
            case 6:
                // A planned switchover to some data-bearing member, racing whatever else goes on.
                var targets = ids.Where(id => !sim.Group.IsWitness(id)).ToArray();
                var target = targets[rng.Next(targets.Length)];
                sim.At(at, () => sim.PlanHandover(target, duration));
                break;
            case 0:
                string? crashed = null;
                sim.At(at, () => sim.Crash(crashed = Victim()));
                sim.At(at + duration, () => sim.Restart(crashed!));
                break;
            case 1:
                var side = ids.Where(_ => rng.NextDouble() < 0.5).ToList();
                sim.At(at, () => sim.Partition(side.Append(Victim()).Distinct()));
                sim.At(at + duration, sim.HealNetwork);
                break;
            case 2:
                var to = ids[rng.Next(ids.Length)];
                sim.At(at, () => sim.BlockLink(Victim(), to));
                sim.At(at + duration, sim.HealNetwork);
                break;
            case 3:
                sim.At(at, () => sim.Pause(Victim(), duration));
                break;
            case 4:
                var rate = rng.NextDouble();
                string? failing = null;
                sim.At(at, () => sim[failing = Victim()].Store.FailureRate = rate);
                sim.At(at + duration, () => sim[failing!].Store.FailureRate = 0);
                break;
            default:
                string? silent = null;
                sim.At(at, () => sim[silent = Victim()].DataNodeUp = false);
                sim.At(at + duration, () => sim[silent!].DataNodeUp = true);
                break;
        }
    }

    private static void Heal(Simulation sim)
    {
        sim.HealNetwork();
        sim.SpeakWithStamps();
        sim.Network = NetworkConditions.Healed;
        foreach (var node in sim.Nodes)
        {
            node.Store.FailureRate = 0;
            node.DataNodeUp = true;
            node.Data.FenceFails = false;
            sim.Restart(node.Id);
        }
    }

    private static string Describe(Simulation sim) =>
        string.Join(Environment.NewLine, sim.Nodes.Select(n => n.ToString())) + Environment.NewLine + sim.TraceTail;
}

internal sealed record ScheduleOutcome(int Size, int Seed, string? Problem, int Elections, long Frames, string? Details, int Handovers, int Acknowledged)
{
    public bool Ok => Problem is null;

    /// <summary>The schedule ran under a random failover policy (NoFailover, priorities, a lag limit).</summary>
    public bool Restricted { get; init; }

    /// <summary>It ended without a primary because the lag limit forbade every eligible member (see <see cref="RandomSchedule.NoPrimaryByDesign"/>).</summary>
    public bool NoPrimaryByDesign { get; init; }

    /// <summary>How many times a member held a failover (anti-flapping, <see cref="ElectorEventKind.FailoverHeld"/>).</summary>
    public int Held { get; init; }
}
