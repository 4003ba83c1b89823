using System.Collections.Concurrent;
using KevyOrleans.Election.Tests.Simulated;
using Xunit.Abstractions;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// Thousands of randomized schedules per group size. Each checks S1-S8 after every step (S6 in the
/// half of the schedules that lose no frame; see SafetyChecker, WriteSafety and DataPlane.OnPromoted)
/// and liveness after healing. Soak: KEVY_SIM_SCHEDULES=100000. Raise the count with KEVY_SIM_SCHEDULES; move the seed range with
/// KEVY_SIM_SEED; replay one schedule with KEVY_SIM_REPLAY=size:seed (see <see cref="Replay"/>).
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    private static int Schedules => int.TryParse(Environment.GetEnvironmentVariable("KEVY_SIM_SCHEDULES"), out var n) ? n : 2000;

    private static int BaseSeed => int.TryParse(Environment.GetEnvironmentVariable("KEVY_SIM_SEED"), out var s) ? s : 1;

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Random_schedules_hold_safety_and_liveness(int size)
    {
        var failures = new ConcurrentBag<ScheduleOutcome>();
        long elections = 0, frames = 0, handovers = 0, acknowledged = 0, restricted = 0, declined = 0;
        var started = DateTime.UtcNow;
        Parallel.For(0, Schedules, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var outcome = RandomSchedule.Run(size, BaseSeed + i);
            Interlocked.Add(ref elections, outcome.Elections);
            Interlocked.Add(ref frames, outcome.Frames);
            Interlocked.Add(ref handovers, outcome.Handovers);
            Interlocked.Add(ref acknowledged, outcome.Acknowledged);
            Interlocked.Add(ref restricted, outcome.Restricted ? 1 : 0);
            Interlocked.Add(ref declined, outcome.NoPrimaryByDesign ? 1 : 0);
            if (!outcome.Ok)
            {
                failures.Add(outcome);
            }
        });
        output.WriteLine($"{Schedules} schedules of {size} members: {elections} elections ({handovers} by planned switchover), {frames} frames, {acknowledged} acknowledged writes protected by S7, " +
            $"{restricted} under a failover policy ({declined} of them left without primary by the lag limit), {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        if (!failures.IsEmpty)
        {
            var first = failures.OrderBy(f => f.Seed).First();
            var replay = RandomSchedule.Run(size, first.Seed, trace: true);
            Assert.Fail($"{failures.Count} of {Schedules} schedules failed; seeds {string.Join(',', failures.Select(f => f.Seed).Order().Take(20))}.\n" +
                $"Replay: KEVY_SIM_REPLAY={size}:{first.Seed} dotnet test tests/KevyOrleans.Election.Tests --filter Replay\n" +
                $"First: {first.Problem}\n{replay.Details}");
        }
        Assert.True(elections >= Schedules, "the schedules should elect at least once each on average");
        Assert.True(acknowledged >= Schedules, "clients must get writes acknowledged, or S7 protects nothing");
        Assert.True(handovers > 0, "the schedules plan switchovers; some must complete, or that path is not exercised");
        Assert.True(restricted > Schedules / 4, "half of the schedules run under a failover policy, or NoFailover, priorities and the lag limit go untested");
        Assert.True(declined < Math.Max(1, restricted / 4), $"{declined} of {restricted} restricted schedules ended without a primary by the lag limit: the liveness check is too lenient to mean much");
    }

    /// <summary>
    /// The random schedules with anti-flapping on (MinimumTimeBetweenFailovers 3 x down_after, the product's
    /// default): S1-S8 hold, and every group has its primary within the liveness bound plus the hold.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Random_schedules_holding_failovers_hold_safety_and_liveness(int size)
    {
        var hold = 3 * RandomSchedule.Timings.DownAfter;
        var count = Math.Max(1, Schedules / 4);
        var failures = new ConcurrentBag<ScheduleOutcome>();
        long held = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var outcome = RandomSchedule.Run(size, BaseSeed + 500_000 + i, holdFailovers: hold);
            Interlocked.Add(ref held, outcome.Held);
            if (!outcome.Ok)
            {
                failures.Add(outcome);
            }
        });
        output.WriteLine($"{count} schedules of {size} members holding failovers for {hold.TotalSeconds} s: {held} holds noted");
        if (!failures.IsEmpty)
        {
            var first = failures.OrderBy(f => f.Seed).First();
            Assert.Fail($"{failures.Count} of {count} schedules failed; seeds {string.Join(',', failures.Select(f => f.Seed).Order().Take(20))} (with the hold).\n" +
                $"First: {first.Problem}\n{RandomSchedule.Run(size, first.Seed, trace: true, holdFailovers: hold).Details}");
        }
        Assert.True(held > 0, "some schedules must fail over twice within the hold, or the hold goes untested");
    }

    /// <summary>
    /// Schedules that a soak (KEVY_SIM_SCHEDULES=100000) once failed, replayed in every run so the fix of
    /// each stays proven. A seed names a schedule of the generator as it was when found: a change to
    /// RandomSchedule may turn it into another schedule, which must pass too. 3:4024623: a planned
    /// switchover's target that knew no primary ran at once next to an unseen, leased winner (S6).
    /// 3:5036679 and 3:5012360: the vote of a member whose data node was certainly dead elected a survivor one
    /// write behind (S7). 3:5007311: a switchover stepped down on a fence confirmed before its data node went
    /// silent for longer than the pause (S8); 3:6071628: the same with the member's process paused.
    /// 3:5042227 and 3:6044856: one voter backed two candidates of adjacent epochs, both won (S6, rule 15).
    /// 3:6034191: a voter whose storage failed (so it knew no primary) voted on a probe from before a notice
    /// of certain death and elected a member one acknowledged write behind (S7). 7:6070719: a lapsed
    /// switchover, then a crowd of candidates (S7); replays clean since rule 15. 3:7064208: the checker's own
    /// error, a NoFailover holder's vote excused only if it still held the write when a retried promotion ran.
    /// 7:7059732: peers holding a notice of their primary's death echoed its resumed activation into an open
    /// lease, then elected a successor on the notice without the writes that lease acknowledged (S7); 5:7013472
    /// the same. 3:9058788: a restarted member that had not heard its stored primary yet (nothing sticky) nor
    /// the notice of its death voted on a probe from before a write it acknowledged (S7, rule 15 on restart).
    /// </summary>
    [Theory]
    [InlineData(3, 4024623)]
    [InlineData(3, 5036679)]
    [InlineData(3, 5012360)]
    [InlineData(3, 5007311)]
    [InlineData(3, 6071628)]
    [InlineData(3, 5042227)]
    [InlineData(3, 6044856)]
    [InlineData(3, 6034191)]
    [InlineData(7, 6070719)]
    [InlineData(3, 7064208)]
    [InlineData(7, 7059732)]
    [InlineData(5, 7013472)]
    [InlineData(3, 9058788)]
    [InlineData(3, 1012033)]
    [InlineData(5, 1069027)]
    [InlineData(7, 1014695)]
    [InlineData(3, 1095019)]
    public void Schedules_a_soak_once_failed_pass(int size, int seed)
    {
        var outcome = RandomSchedule.Run(size, seed);
        if (!outcome.Ok)
        {
            Assert.Fail($"{size}:{seed}: {outcome.Problem}\n{RandomSchedule.Run(size, seed, trace: true).Details}");
        }
    }

    /// <summary>Replays one schedule (KEVY_SIM_REPLAY=size:seed), or proves a fixed seed replays identically.</summary>
    [Fact]
    public void Replay()
    {
        var spec = Environment.GetEnvironmentVariable("KEVY_SIM_REPLAY") ?? "5:424242";
        var parts = spec.Split(':');
        var size = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var seed = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var first = RandomSchedule.Run(size, seed, trace: true);
        var second = RandomSchedule.Run(size, seed, trace: true);
        output.WriteLine(first.Details ?? "(ok)");
        Assert.Equal((first.Problem, first.Elections, first.Frames), (second.Problem, second.Elections, second.Frames));
        Assert.True(first.Ok, first.Problem + "\n" + first.Details);
    }
}
