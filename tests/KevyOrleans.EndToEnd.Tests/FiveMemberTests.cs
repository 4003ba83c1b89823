using KevyOrleans.EndToEnd.Tests.Harness;

namespace KevyOrleans.EndToEnd.Tests;

public sealed class FiveMemberTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_primaries_killed_one_after_the_other_leave_one_primary_and_lose_no_acknowledged_write()
    {
        await using var fleet = await Fleet.StartAsync(5);
        var acknowledged = new List<string>();
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var killed = new List<string>();

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                var key = $"r{round}:k{i}";
                if (await primary.WriteAcknowledgedAsync(key, key, 1, TimeSpan.FromSeconds(2)))
                {
                    acknowledged.Add(key);
                }
            }
            await primary.Redis.KillAsync();
            killed.Add(primary.Id);
            var next = await fleet.WaitForWritablePrimaryAsync(Bound, otherThan: primary.Id);
            Assert.DoesNotContain(next.Id, killed);
            primary = next;
        }

        Assert.True(acknowledged.Count >= 190, $"only {acknowledged.Count} of 200 writes were acknowledged");
        foreach (var key in acknowledged)
        {
            Assert.Equal(key, await primary.GetAsync(key));
        }
        var status = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!;
        Assert.Single(status.Members, m => m.Role == "primary");
        Assert.Equal(primary.Id, status.Primary);
        foreach (var survivor in fleet.Nodes.Where(n => n != primary && !killed.Contains(n.Id)))
        {
            Assert.True(await Eventually.HoldsAsync(() => survivor.FollowsAsync(primary), Bound), $"{survivor.Id} does not follow {primary.Id}");
        }
        var history = await fleet.Admin.GetHistoryAsync(Fleet.GroupName);
        Assert.Equal(history.Count, history.Select(h => h.Epoch).Distinct().Count());
    }
}
