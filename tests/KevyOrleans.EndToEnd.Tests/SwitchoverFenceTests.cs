using System.Net;
using KevyOrleans.EndToEnd.Tests.Harness;
using StackExchange.Redis;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>
/// Issue 9 item 6, the API side: a switchover whose primary cannot be fenced (its redis-server refuses
/// CLIENT PAUSE) is refused at once with a 409 that says so and names the member, and the primary stays.
/// </summary>
public sealed class SwitchoverFenceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_switchover_whose_fence_fails_is_refused_as_such_and_the_primary_stays()
    {
        await using var fleet = await Fleet.StartAsync(3);
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var target = fleet.Nodes.First(n => n != primary);
        foreach (var r in fleet.Nodes.Where(n => n != primary))
        {
            Assert.True(await Eventually.HoldsAsync(() => r.FollowsAsync(primary), Bound));
        }
        var before = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!;

        // From now on the primary's redis-server refuses CLIENT PAUSE to the agent's user (as an ACL
        // without that subcommand does, or a server older than 6.2 refuses PAUSE ... WRITE).
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { primary.Redis.Host, primary.Redis.Port } },
            AllowAdmin = true,
        }))
        {
            await admin.GetServer(primary.Redis.Host, primary.Redis.Port).ExecuteAsync("ACL", "SETUSER", "default", "-client|pause");
        }

        var (status, body) = await fleet.Admin.SwitchoverAsync(Fleet.GroupName, target.Id);
        Assert.True(status == HttpStatusCode.Conflict, $"{status}: {body}\n{fleet.Silo!.Tail()}");
        var error = body.GetProperty("error").GetString()!;
        Assert.Contains("fence could not be applied", error, StringComparison.Ordinal);
        Assert.Contains($"'{primary.Id}'", error, StringComparison.Ordinal);

        // The primary stays, in its epoch, and takes writes.
        var after = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!;
        Assert.Equal(primary.Id, after.Primary);
        Assert.Equal(before.Epoch, after.Epoch);
        Assert.True(await Eventually.HoldsAsync(() => primary.TryWriteAsync("after", "refused switchover", TimeSpan.FromSeconds(2)), Bound));
        Assert.Equal(primary.Id, (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!.Primary);
    }
}
