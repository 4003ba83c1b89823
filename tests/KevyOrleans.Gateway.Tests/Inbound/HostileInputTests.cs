using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KevyOrleans.Gateway.Tests.Harness;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;

namespace KevyOrleans.Gateway.Tests.Inbound;

/// <summary>
/// Bad input on a hosted member's elect port: each case is dropped and counted by reason, nothing
/// reaches the grain, and the member keeps heartbeating. Tests in this class share one silo and run
/// one after another.
/// </summary>
public sealed class HostileInputTests(GuardSiloFixture fixture) : IClassFixture<GuardSiloFixture>
{
    private GatewaySilo Silo => fixture.Silo;

    private int H1Port => Silo.Member("guard", "h1").ElectPort;

    public static TheoryData<string, string> GoldenRejects()
    {
        var path = Environment.GetEnvironmentVariable("KEVY_GOLDEN_FRAMES")
            ?? Path.Combine(RepoPaths.Root, "tests", "golden", "frames.json"); // the repository's own copy
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var data = new TheoryData<string, string>();
        foreach (var entry in doc.RootElement.GetProperty("decode").EnumerateArray())
        {
            var outcome = entry.GetProperty("outcome").GetString()!;
            if (outcome is not ("ok" or "incomplete"))
            {
                data.Add(entry.GetProperty("name").GetString()!, entry.GetProperty("bytes").GetString()!);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenRejects))]
    public async Task Every_rejected_golden_frame_drops_the_connection_and_is_counted(string name, string bytes)
    {
        var before = Silo.Counters.Get("kevy.gateway.rejected");
        await AssertDroppedAsync(Encoding.ASCII.GetBytes(bytes), name);
        await WaitFor(() => Silo.Counters.Get("kevy.gateway.rejected") > before, $"{name} counted");
        await AssertNothingFromTheWireReachedTheGrainAsync();
    }

    [Fact]
    public async Task Random_garbage_drops_the_connection()
    {
        var garbage = new byte[512];
        new Random(42).NextBytes(garbage);
        garbage[0] = (byte)'#'; // not '*': never a frame
        var before = Silo.Counters.Get("kevy.gateway.rejected", "bad-envelope");
        await AssertDroppedAsync(garbage, "garbage");
        await WaitFor(() => Silo.Counters.Get("kevy.gateway.rejected", "bad-envelope") > before, "garbage counted as bad-envelope");
    }

    [Fact]
    public async Task An_oversized_frame_is_dropped_at_the_cap()
    {
        var before = Silo.Counters.Get("kevy.gateway.rejected", "frame-too-large");
        await AssertDroppedAsync(RawFrames.Hb(1, new string('x', 20_000), "replica", 0), "oversized");
        await WaitFor(() => Silo.Counters.Get("kevy.gateway.rejected", "frame-too-large") > before, "oversized counted");
        await AssertNothingFromTheWireReachedTheGrainAsync();
    }

    [Fact]
    public async Task Frames_from_strangers_and_from_the_member_itself_are_dropped_and_counted_but_members_get_through()
    {
        var strangers = Silo.Counters.Get("kevy.gateway.rejected", "stranger");
        var selves = Silo.Counters.Get("kevy.gateway.rejected", "self");
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        await stream.WriteAsync(RawFrames.Offer(99, "intruder", 1_000_000));
        await stream.WriteAsync(RawFrames.Announce(99, "h1", "127.0.0.1:1"));
        await WaitFor(() => Silo.Counters.Get("kevy.gateway.rejected", "stranger") > strangers, "stranger counted");
        await WaitFor(() => Silo.Counters.Get("kevy.gateway.rejected", "self") > selves, "self counted");
        await AssertNothingFromTheWireReachedTheGrainAsync();
        Assert.True((await Silo.Snapshot("guard", "h1")).Epoch < 99);

        // The connection survives dropped frames: a member's frame on it still reaches the grain.
        await stream.WriteAsync(RawFrames.Hb(1, "e3", "replica", 0));
        await WaitFor(() => FrameJournal.ForGroup(Silo.Group("guard")).Any(f => f.Message.SenderId == "e3"), "e3's heartbeat delivered");
    }

    [Fact]
    public async Task A_one_byte_per_100_ms_sender_holds_no_more_than_its_bytes_and_blocks_nobody()
    {
        using var client = await ConnectAsync();
        var frame = RawFrames.Hb(1, "e3", "replica", 7);
        for (var i = 0; i < 20; i++)
        {
            await client.GetStream().WriteAsync(frame.AsMemory(i, 1));
            await Task.Delay(100);
        }
        await AssertHeartbeatingAsync(); // 2 s of dribbling: h1 still heartbeats to h2
        await client.GetStream().WriteAsync(frame.AsMemory(20));
        await WaitFor(() => FrameJournal.ForGroup(Silo.Group("guard")).Any(f => f.Message.SenderId == "e3" && f.Message.ReplOffset == 7), "the dribbled frame completes");
    }

    [Fact]
    public async Task Five_hundred_idle_connections_are_capped_and_counted_and_the_member_keeps_heartbeating()
    {
        var refused = Silo.Counters.Get("kevy.gateway.rejected", "too-many-connections");
        var clients = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 500; i++)
            {
                clients.Add(await ConnectAsync());
            }
            await WaitFor(() => Silo.Counters.Get("kevy.gateway.rejected", "too-many-connections") - refused >= 500 - GuardSiloFixture.MaxConnections,
                "connections beyond the limit refused and counted");
            await AssertHeartbeatingAsync();
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
        // Once they are gone, a member gets through again.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(await TryDeliverAsync(RawFrames.Hb(1, "e3", "replica", 11)) && FrameJournal.ForGroup(Silo.Group("guard")).Any(f => f.Message.ReplOffset == 11)))
        {
            Assert.True(DateTime.UtcNow < deadline, "a new connection should work once the idle ones are gone");
        }
    }

    [Fact]
    public async Task A_connection_silent_for_three_down_after_is_closed()
    {
        var before = Silo.Counters.Get("kevy.gateway.rejected", "idle");
        using var client = await ConnectAsync();
        var started = DateTime.UtcNow;
        var read = await client.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, read);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(3 * GatewaySilo.DownAfterMs * 0.9));
        await WaitFor(() => Silo.Counters.Get("kevy.gateway.rejected", "idle") > before, "idle counted");
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, H1Port);
        return client;
    }

    // Asynchronous throughout: blocking pool threads here starved other test classes' sockets.
    private async Task<bool> TryDeliverAsync(byte[] frame)
    {
        try
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, H1Port);
            await client.GetStream().WriteAsync(frame);
            await Task.Delay(100);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends the bytes and expects the silo to close the connection.</summary>
    private async Task AssertDroppedAsync(byte[] bytes, string what)
    {
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        await stream.WriteAsync(bytes);
        try
        {
            var read = await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            Assert.True(read == 0, $"{what}: the silo answered instead of closing");
        }
        catch (IOException)
        {
            // reset: dropped as well
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what}: the connection was not dropped");
        }
    }

    private async Task AssertNothingFromTheWireReachedTheGrainAsync()
    {
        await Task.Delay(200);
        var hosted = new HashSet<string>(["h1", "h2"]);
        Assert.DoesNotContain(FrameJournal.ForGroup(Silo.Group("guard")), f => !hosted.Contains(f.Message.SenderId) && f.Message.Verb != Verb.Heartbeat);
        Assert.DoesNotContain(FrameJournal.ForGroup(Silo.Group("guard")), f => f.Message.SenderId is "intruder" || f.Message.Epoch >= 99);
    }

    private async Task AssertHeartbeatingAsync()
    {
        var view = (await Silo.Snapshot("guard", "h2")).Peers.Single(p => p.Id == "h1");
        Assert.True(view.SinceLastSeenMs < 5 * GatewaySilo.HeartbeatMs, $"h2 last heard h1 {view.SinceLastSeenMs} ms ago");
    }

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not met: {what}");
            await Task.Delay(20);
        }
    }
}
