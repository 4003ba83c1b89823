using KevyOrleans.EndToEnd.Tests.Harness;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>Three hosted members over three real redis-servers, served by the real silo process.</summary>
public sealed class FailoverTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Killing_the_primary_loses_no_acknowledged_write_and_the_old_primary_returns_as_a_replica()
    {
        await using var fleet = await Fleet.StartAsync(3);

        // Cold start: one primary, the others replicate from it.
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var replicas = fleet.Nodes.Where(n => n != primary).ToList();
        foreach (var r in replicas)
        {
            Assert.True(await Eventually.HoldsAsync(() => r.FollowsAsync(primary), Bound), $"{r.Id} does not follow {primary.Id}:\n{fleet.Silo!.Tail()}");
        }

        // Writes acknowledged by at least one replica before the crash.
        var acknowledged = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            if (await primary.WriteAcknowledgedAsync($"k{i}", $"v{i}", 1, TimeSpan.FromSeconds(2)))
            {
                acknowledged.Add($"k{i}");
            }
        }
        Assert.True(acknowledged.Count >= 190, $"only {acknowledged.Count} of 200 writes were acknowledged before any fault");

        await primary.Redis.KillAsync(); // SIGKILL
        var successor = await fleet.WaitForWritablePrimaryAsync(Bound, otherThan: primary.Id);

        foreach (var key in acknowledged)
        {
            Assert.Equal($"v{key[1..]}", await successor.GetAsync(key));
        }
        Assert.True(await successor.TryWriteAsync("after", "failover", TimeSpan.FromSeconds(2)));
        var other = replicas.Single(r => r != successor);
        Assert.True(await Eventually.HoldsAsync(() => other.FollowsAsync(successor), Bound), $"{other.Id} does not follow {successor.Id}:\n{fleet.Silo!.Tail()}");

        // The killed node comes back empty, as a master: it is told to follow the new primary and catches up.
        await primary.Redis.StartAgainAsync();
        Assert.True(await Eventually.HoldsAsync(() => primary.FollowsAsync(successor), Bound), $"restarted {primary.Id} does not follow {successor.Id}:\n{fleet.Silo!.Tail()}");
        Assert.True(await Eventually.HoldsAsync(async () => await primary.GetAsync("after") == "failover", Bound));
        var status = await fleet.Admin.TryGetGroupAsync(Fleet.GroupName);
        Assert.Equal(successor.Id, status!.Primary);

        var history = await fleet.Admin.GetHistoryAsync(Fleet.GroupName);
        Assert.Equal(history.Count, history.Select(h => h.Epoch).Distinct().Count()); // one primary per epoch
        Assert.Contains(history, h => h.Primary == successor.Id && h.Epoch == status.Epoch);

        // SIGTERM: a graceful stop, exit code 0; the data nodes keep their roles and data.
        var silo = fleet.Silo!;
        Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(40)));
        Assert.Contains("Application is shutting down", silo.Output(), StringComparison.Ordinal);
        Assert.True(await successor.TryWriteAsync("after", "silo-stop", TimeSpan.FromSeconds(2)));
        Assert.True(await other.FollowsAsync(successor));
    }
}
