using System.Net;
using KevyOrleans.EndToEnd.Tests.Harness;

namespace KevyOrleans.EndToEnd.Tests;

public sealed class SwitchoverTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_switchover_under_writes_makes_the_target_primary_and_loses_no_acknowledged_write()
    {
        await using var fleet = await Fleet.StartAsync(3);
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var target = fleet.Nodes.Where(n => n != primary).OrderByDescending(n => n.Id, StringComparer.Ordinal).First();
        foreach (var r in fleet.Nodes.Where(n => n != primary))
        {
            Assert.True(await Eventually.HoldsAsync(() => r.FollowsAsync(primary), Bound));
        }
        var before = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!;

        // A writer keeps writing to the old primary throughout; only writes acknowledged by a replica count.
        using var stop = new CancellationTokenSource();
        var acknowledged = new List<string>();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (await primary.WriteAcknowledgedAsync($"w{i}", $"v{i}", 1, TimeSpan.FromMilliseconds(300)))
                {
                    acknowledged.Add($"w{i}");
                }
            }
        });
        await Task.Delay(500);
        var (status, body) = await fleet.Admin.SwitchoverAsync(Fleet.GroupName, target.Id);
        await stop.CancelAsync();
        await writer;

        Assert.True(status == HttpStatusCode.OK, $"{status}: {body}\n{fleet.Silo!.Tail()}");
        Assert.Equal(target.Id, body.GetProperty("primary").GetString());
        Assert.Equal(primary.Id, body.GetProperty("previousPrimary").GetString());
        Assert.True(body.GetProperty("epoch").GetUInt64() > before.Epoch);
        Assert.NotEmpty(acknowledged);
        foreach (var key in acknowledged)
        {
            Assert.Equal($"v{key[1..]}", await target.GetAsync(key));
        }
        // Writable (the client relearns the node's role after its first refused write, as clients do).
        Assert.True(await Eventually.HoldsAsync(() => target.TryWriteAsync("after", "switchover", TimeSpan.FromSeconds(2)), Bound));
        Assert.True(await Eventually.HoldsAsync(() => primary.FollowsAsync(target), Bound), $"{primary.Id} does not follow {target.Id}");
    }

    [Fact]
    public async Task A_switchover_refuses_bad_targets_and_gives_up_when_the_target_cannot_catch_up()
    {
        await using var fleet = await Fleet.StartAsync(3);
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var target = fleet.Nodes.First(n => n != primary);
        var other = fleet.Nodes.First(n => n != primary && n != target);
        foreach (var r in new[] { target, other })
        {
            Assert.True(await Eventually.HoldsAsync(() => r.FollowsAsync(primary), Bound));
        }
        var epoch = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!.Epoch;

        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Admin.SwitchoverAsync("nosuchgroup", null)).Status);
        var (s1, b1) = await fleet.Admin.SwitchoverAsync(Fleet.GroupName, "n9");
        Assert.Equal(HttpStatusCode.BadRequest, s1);
        Assert.Contains("'n9' is not a member", b1.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await fleet.Admin.SwitchoverAsync(Fleet.GroupName, primary.Id)).Status);

        // The target stays up (its data node answers probes) but applies no replication: it can never
        // reach the primary's offset. A hung data node (SIGSTOP) is not up and is refused at once.
        await target.PauseWritesAsync(TimeSpan.FromSeconds(60));
        try
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.True(await primary.WriteAcknowledgedAsync($"lag{i}", "x", 1, TimeSpan.FromSeconds(2)));
            }
            var (status, body) = await fleet.Admin.SwitchoverAsync(Fleet.GroupName, target.Id);
            Assert.True(status == HttpStatusCode.Conflict, $"{status}: {body}");
            Assert.Contains("no member caught up in time", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await target.UnpauseAsync();
        }
        // The plan lapsed: the old primary unfenced and carries on in its epoch.
        Assert.True(await Eventually.HoldsAsync(() => primary.TryWriteAsync("after", "lapse", TimeSpan.FromMilliseconds(500)), Bound),
            $"{primary.Id} stayed fenced after the plan lapsed:\n{fleet.Silo!.Tail()}");
        var status2 = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!;
        Assert.Equal(primary.Id, status2.Primary);
        Assert.Equal(epoch, status2.Epoch);
    }
}
