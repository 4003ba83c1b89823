using System.Diagnostics;
using System.Diagnostics.Metrics;
using KevyOrleans.Cluster.Tests.Support;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;

namespace KevyOrleans.Cluster.Tests;

/// <summary>One group of three whose failovers are at least 6 s apart (6 x down_after of the fixture).</summary>
public sealed class AntiFlappingClusterFixture() : KevyClusterFixture(VoteStore.File)
{
    public const int SpacingMs = 6000;

    protected override IReadOnlyList<(string Name, int Size)> Groups => [("flap", 3)];

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Kevy:Groups:0:MinimumTimeBetweenFailoversMs"] = SpacingMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Anti-flapping with the members as grains in a real 3-silo cluster (issue 15, item 3).</summary>
public sealed class AntiFlappingClusterTests(AntiFlappingClusterFixture cluster) : IClassFixture<AntiFlappingClusterFixture>
{
    [Fact]
    public async Task A_second_failover_within_the_minimum_time_is_held_then_runs()
    {
        var name = cluster.Group("flap");
        long held = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "KevyOrleans" && instrument.Name == "kevy.failovers.held")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref held, value));
        listener.Start();

        // The cold start elects without a clock; the first failover (a data node gone silent) is not held.
        var first = await cluster.WaitForOnePrimary("flap", 3);
        ScriptedDataNodes.Get(name, first.Member).Alive = false;
        var second = await cluster.WaitForOnePrimary("flap", 3, [.. new[] { "n1", "n2", "n3" }.Where(m => m != first.Member)]);
        var failedOver = Stopwatch.StartNew();
        Assert.Equal(0, Interlocked.Read(ref held));

        // The next one would come after down_after (1 s); it is held until 6 s after the last.
        ScriptedDataNodes.Get(name, second.Member).Alive = false;
        var third = new[] { "n1", "n2", "n3" }.Single(m => m != first.Member && m != second.Member);
        while (failedOver.ElapsedMilliseconds < AntiFlappingClusterFixture.SpacingMs / 2)
        {
            var snapshots = await cluster.Snapshots("flap", 3);
            Assert.NotEqual(Role.Primary, snapshots.Single(s => s.Member == third).Role);
            await Task.Delay(100);
        }
        Assert.True(Interlocked.Read(ref held) >= 1, "the hold is counted in kevy.failovers.held");

        var last = await cluster.WaitForOnePrimary("flap", 3, [third], within: TimeSpan.FromSeconds(60));
        Assert.True(failedOver.ElapsedMilliseconds >= AntiFlappingClusterFixture.SpacingMs - 1000,
            $"failed over again {failedOver.ElapsedMilliseconds} ms after the last failover");
        Assert.True(last.Epoch > second.Epoch);
    }
}
