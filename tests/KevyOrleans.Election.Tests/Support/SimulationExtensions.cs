using KevyOrleans.Election;
using KevyOrleans.Election.Tests.Simulated;
using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Support;

internal static class SimulationExtensions
{
    /// <summary>A group of data nodes n1..nN (plus named witnesses) on a perfect network.</summary>
    public static Simulation Group(string ids, int seed = 1, params string[] witnesses) =>
        new(new ElectionGroup(Members(ids), witnesses), ElectionTimings.Default, seed);

    /// <summary>A group like <see cref="Group"/> whose members hold failovers for <paramref name="hold"/> (anti-flapping).</summary>
    public static Simulation GroupHoldingFailovers(string ids, TimeSpan hold, int seed = 1) =>
        new(new ElectionGroup(Members(ids), []), ElectionTimings.Default, seed, minimumTimeBetweenFailovers: hold);

    private static MemberList Members(string ids) => new(ids.Split(',').Select((id, i) =>
        new Member(id, "127.0.0.1", 7001 + i, 6001 + i, HasSeparateClientPort: true)));

    /// <summary>The one primary every running member knows, or null.</summary>
    public static string? AgreedPrimary(this Simulation sim)
    {
        var running = sim.Nodes.Where(n => n.IsRunning).ToList();
        var primaries = running.Where(n => n.Elector!.Role == Role.Primary).ToList();
        return primaries.Count == 1 && running.All(n => n.Elector!.KnownPrimary == primaries[0].Id) ? primaries[0].Id : null;
    }

    /// <summary>Runs until one primary is known by every running member; fails the test if none within the bound.</summary>
    public static string ElectOrFail(this Simulation sim, TimeSpan? within = null)
    {
        var limit = within ?? RandomSchedule.LivenessBound;
        Assert.True(sim.RunUntil(() => sim.AgreedPrimary() is not null, limit),
            $"no agreed primary within {limit.TotalSeconds} s: {string.Join("; ", sim.Nodes)}");
        return sim.AgreedPrimary()!;
    }

    public static bool Became(this SimNode node, ElectorEventKind kind) => node.Events.Any(e => e.Kind == kind);

    public static IEnumerable<string> PrimariesEver(this Simulation sim) =>
        sim.Nodes.Where(n => n.Became(ElectorEventKind.BecamePrimary)).Select(n => n.Id);
}
