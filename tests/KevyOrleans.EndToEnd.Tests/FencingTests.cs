using KevyOrleans.EndToEnd.Tests.Harness;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>A primary whose peers are gone (their data nodes stopped, so their members fall silent) is fenced.</summary>
public sealed class FencingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task A_primary_in_a_minority_takes_no_writes_until_its_majority_returns()
    {
        await using var fleet = await Fleet.StartAsync(3);
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var epoch = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!.Epoch;
        var peers = fleet.Nodes.Where(n => n != primary).ToList();
        foreach (var p in peers)
        {
            await p.Redis.KillAsync();
        }

        // Fenced within the lease window (down_after - 2 x hb): a write is no longer acknowledged.
        var n = 0;
        Assert.True(await Eventually.HoldsAsync(async () => !await primary.TryWriteAsync($"minority:{n++}", "x", WriteTimeout), Bound),
            $"{primary.Id} still takes writes without its majority:\n{fleet.Silo!.Tail()}");
        // And it stays fenced: the pause is renewed while the minority lasts.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(await primary.TryWriteAsync("still-minority", "x", WriteTimeout), "the fence lapsed while the primary was still in a minority");

        foreach (var p in peers)
        {
            await p.Redis.StartAgainAsync();
        }
        // The majority is back: the same primary, same epoch, takes writes again; the peers follow it.
        Assert.True(await Eventually.HoldsAsync(() => primary.TryWriteAsync("majority", "back", WriteTimeout), Bound),
            $"{primary.Id} did not take writes after its majority returned:\n{fleet.Silo!.Tail()}");
        var status = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!;
        Assert.Equal(primary.Id, status.Primary);
        Assert.Equal(epoch, status.Epoch);
        foreach (var p in peers)
        {
            Assert.True(await Eventually.HoldsAsync(() => p.FollowsAsync(primary), Bound), $"{p.Id} does not follow {primary.Id}");
        }
    }
}
