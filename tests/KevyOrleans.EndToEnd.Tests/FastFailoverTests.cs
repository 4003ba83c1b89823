using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using KevyOrleans.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>
/// Rule 14 against real redis-servers and the real silo: SIGKILL of the primary's redis-server fails over
/// without waiting down_after; SIGSTOP (a hung process, its port still open) never counts as death.
/// </summary>
public sealed class FastFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static Action<JsonObject> DownAfter(int ms, bool fastFailover = true) => config =>
    {
        config["Kevy"]!["Timings"]!["DownAfterMs"] = ms;
        config["Kevy"]!["Timings"]!["ElectionTimeoutMs"] = 1000;
        config["Kevy"]!["Groups"]![0]!["FastFailover"] = fastFailover;
    };

    [Fact]
    public async Task Sigkill_of_the_primary_redis_server_elects_a_successor_before_down_after_in_every_trial()
    {
        var downAfter = TimeSpan.FromSeconds(10);
        await using var fleet = await Fleet.StartAsync(3, DownAfter((int)downAfter.TotalMilliseconds));
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var took = new List<double>();
        for (var trial = 0; trial < 10; trial++)
        {
            var others = fleet.Nodes.Where(n => n != primary).ToList();
            foreach (var r in others)
            {
                Assert.True(await Eventually.HoldsAsync(() => r.FollowsAsync(primary), Bound), $"{r.Id} does not follow {primary.Id}:\n{fleet.Silo!.Tail()}");
            }
            var killed = Stopwatch.StartNew();
            await primary.Redis.KillAsync(); // SIGKILL
            var successor = await FirstWritableAsync(others, downAfter);
            took.Add(killed.Elapsed.TotalMilliseconds);
            Assert.True(successor is not null, $"trial {trial}: no successor took a write within down_after ({downAfter.TotalSeconds} s):\n{fleet.Silo!.Tail()}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trial {trial}: kill -9 of {primary.Id} to a write accepted by {successor!.Id}: {took[^1]:0} ms"));
            await primary.Redis.StartAgainAsync();
            Assert.True(await Eventually.HoldsAsync(() => primary.FollowsAsync(successor), Bound), $"restarted {primary.Id} does not follow {successor.Id}:\n{fleet.Silo!.Tail()}");
            primary = successor;
        }
        took.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill-to-writable over {took.Count} trials (down_after {downAfter.TotalMilliseconds} ms, hb 100 ms): median {took[took.Count / 2]:0} ms, max {took[^1]:0} ms"));
        var history = await fleet.Admin.GetHistoryAsync(Fleet.GroupName);
        Assert.Equal(history.Count, history.Select(h => h.Epoch).Distinct().Count()); // one primary per epoch
    }

    [Fact]
    public async Task Sigstop_of_the_primary_redis_server_for_half_of_down_after_elects_nobody()
    {
        var downAfter = TimeSpan.FromSeconds(4);
        await using var fleet = await Fleet.StartAsync(3, DownAfter((int)downAfter.TotalMilliseconds));
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var before = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!;
        var elections = (await fleet.Admin.GetHistoryAsync(Fleet.GroupName)).Count;

        primary.Redis.Freeze(); // SIGSTOP: hung, its port still accepts connections
        await Task.Delay(downAfter / 2);
        primary.Redis.Thaw();
        await Task.Delay(downAfter); // anything the pause set off has run its course

        var after = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!;
        Assert.Equal((before.Primary, before.Epoch), (after.Primary, after.Epoch));
        Assert.Equal(elections, (await fleet.Admin.GetHistoryAsync(Fleet.GroupName)).Count);
        Assert.True(await Eventually.HoldsAsync(() => primary.TryWriteAsync("after-stop", "x", TimeSpan.FromSeconds(1)), Bound));
        Assert.DoesNotContain("certainly dead", fleet.Silo!.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigstop_of_the_primary_redis_server_past_down_after_elects_once_and_not_before_down_after()
    {
        var downAfter = TimeSpan.FromSeconds(4);
        var heartbeat = TimeSpan.FromMilliseconds(100);
        await using var fleet = await Fleet.StartAsync(3, DownAfter((int)downAfter.TotalMilliseconds));
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var epoch = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!.Epoch;

        var frozenAt = DateTimeOffset.UtcNow;
        primary.Redis.Freeze();
        var successor = await fleet.WaitForWritablePrimaryAsync(Bound, otherThan: primary.Id);
        primary.Redis.Thaw();
        Assert.True(await Eventually.HoldsAsync(() => primary.FollowsAsync(successor), Bound), $"thawed {primary.Id} does not follow {successor.Id}:\n{fleet.Silo!.Tail()}");

        var history = await fleet.Admin.GetHistoryAsync(Fleet.GroupName);
        var elected = Assert.Single(history, h => h.Epoch > epoch);
        Assert.Equal(successor.Id, elected.Primary);
        // The peers count down_after from the last heartbeat of the primary's member, which stopped within one
        // hb_interval of the stop (its probe no longer answers): never sooner than that.
        Assert.True(elected.At - frozenAt >= downAfter - (2 * heartbeat),
            $"elected {(elected.At - frozenAt).TotalMilliseconds:0} ms after SIGSTOP, before down_after ({downAfter.TotalMilliseconds} ms)");
        Assert.DoesNotContain("certainly dead", fleet.Silo!.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_fast_failover_sigkill_waits_down_after()
    {
        var downAfter = TimeSpan.FromSeconds(4);
        await using var fleet = await Fleet.StartAsync(3, DownAfter((int)downAfter.TotalMilliseconds, fastFailover: false));
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        var killedAt = DateTimeOffset.UtcNow;
        await primary.Redis.KillAsync();
        var successor = await fleet.WaitForWritablePrimaryAsync(Bound, otherThan: primary.Id);
        var elected = (await fleet.Admin.GetHistoryAsync(Fleet.GroupName)).Single(h => h.Primary == successor.Id);
        Assert.True(elected.At - killedAt >= downAfter - TimeSpan.FromMilliseconds(200),
            $"elected {(elected.At - killedAt).TotalMilliseconds:0} ms after SIGKILL with FastFailover off");
    }

    /// <summary>The first of <paramref name="nodes"/> to take a plain SET (raw RESP, no client library), or null within <paramref name="within"/>.</summary>
    private static async Task<DataNode?> FirstWritableAsync(IReadOnlyList<DataNode> nodes, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            foreach (var n in nodes)
            {
                if (await RawSetAsync(n.Redis.Port))
                {
                    return n;
                }
            }
            await Task.Delay(5);
        }
        return null;
    }

    private static async Task<bool> RawSetAsync(int port)
    {
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await socket.ConnectAsync("127.0.0.1", port, timeout.Token);
            await socket.SendAsync("*3\r\n$3\r\nSET\r\n$9\r\nfast:last\r\n$1\r\nx\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+OK", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
