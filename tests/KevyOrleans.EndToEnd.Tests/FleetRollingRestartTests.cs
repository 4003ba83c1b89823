using System.Collections.Concurrent;
using KevyOrleans.EndToEnd.Tests.Harness;
using KevyOrleans.Testing;
using Xunit.Abstractions;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>
/// Three real kevy-silo processes (Azure Table clustering and votes on Azurite, hb 200 ms, down_after 5 s), one
/// group of three: every silo restarted in turn (SIGTERM, then a new process) while a writer runs, then a fourth
/// silo joins. No write acknowledged by WAIT is lost; the elections the restarts cost are counted and printed.
/// </summary>
public sealed class FleetRollingRestartTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_rolling_restart_under_writes_loses_no_acknowledged_write_and_a_fourth_silo_joins_with_no_election()
    {
        await using var fleet = await SiloFleet.StartAsync(azurite, 3, heartbeatMs: 200, downAfterMs: 5000);
        await fleet.WaitForWritablePrimaryAsync();
        await Spread(fleet, 3);
        var coldStart = (await fleet.AnyAdmin().GetHistoryAsync(Fleet.GroupName)).Count;

        using var stop = new CancellationTokenSource();
        var acknowledged = new ConcurrentBag<string>();
        var writer = Task.Run(() => WriteAsync(fleet, acknowledged, stop.Token));
        foreach (var silo in fleet.Silos.ToList())
        {
            var code = await silo.Process.TerminateAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, code);
            await fleet.AddAsync();
            await Spread(fleet, 3);
            output.WriteLine($"restarted the silo on port {silo.SiloPort}; {acknowledged.Count} writes acknowledged so far");
        }
        await stop.CancelAsync();
        await writer;

        var history = await fleet.AnyAdmin().GetHistoryAsync(Fleet.GroupName);
        output.WriteLine($"rolling restart of 3 silos: {history.Count - coldStart} elections ({string.Join(", ", history.Select(h => $"{h.Epoch}:{h.Primary}"))}), {acknowledged.Count} writes acknowledged");
        Assert.All(history.GroupBy(h => h.Epoch), e => Assert.Single(e.Select(h => h.Primary).Distinct()));
        Assert.True(acknowledged.Count > 0, "the writer got no write acknowledged");
        var primary = await fleet.WaitForWritablePrimaryAsync();
        var lost = new List<string>();
        foreach (var key in acknowledged)
        {
            if (await ReadAsync(primary, key) != key)
            {
                lost.Add(key);
            }
        }
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes are not on the primary {primary.Id}: {string.Join(", ", lost.Take(10))}");

        // A fourth silo joins: it becomes active, nothing is elected, the group stays one member per silo.
        var epoch = (await fleet.AnyAdmin().TryGetGroupAsync(Fleet.GroupName))!.Epoch;
        var fourth = await fleet.AddAsync();
        await SiloFleet.WaitForAsync(fourth.Admin, "/silos", j => SiloFleet.ActiveSilos(j).Count == 4 ? j.ToString() : null, "four active silos");
        await Spread(fleet, 4);
        var after = (await fourth.Admin.TryGetGroupAsync(Fleet.GroupName))!;
        Assert.Equal(epoch, after.Epoch);
        Assert.Equal(history.Count, (await fourth.Admin.GetHistoryAsync(Fleet.GroupName)).Count);
        fleet.FailedJoins.ForEach(output.WriteLine);
    }

    /// <summary>Writes key=key to whichever node is primary, counting only those acknowledged by one replica (WAIT 1).</summary>
    private static async Task WriteAsync(SiloFleet fleet, ConcurrentBag<string> acknowledged, CancellationToken stop)
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var status = await fleet.AnyAdmin().TryGetGroupAsync(Fleet.GroupName);
            if (status?.Primary is not { } primary)
            {
                await Task.Delay(100, CancellationToken.None);
                continue;
            }
            var key = $"w{n++}";
            if (await fleet.Fleet[primary].WriteAcknowledgedAsync(key, key, replicas: 1, TimeSpan.FromMilliseconds(500)))
            {
                acknowledged.Add(key);
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>A GET that a loaded machine may time out once or twice; a timeout is not a lost write.</summary>
    private static async Task<string?> ReadAsync(DataNode node, string key)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await node.GetAsync(key);
            }
            catch (StackExchange.Redis.RedisTimeoutException) when (attempt < 10)
            {
                await Task.Delay(200);
            }
        }
    }

    private static Task<Dictionary<string, string>> Spread(SiloFleet fleet, int silos) =>
        SiloFleet.WaitForAsync(fleet.AnyAdmin(), "/silos", j => SiloFleet.OneMemberPerSilo(j, silos), $"/silos: {silos} active silos, one member each at most");
}
